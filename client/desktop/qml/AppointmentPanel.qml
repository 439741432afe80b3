// The appointment being planned: the employee picks a time or asks for
// others; both see what was agreed; the trust person can export it.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import QtQuick.Dialogs
import Confidant
import Confidant.Core

Rectangle {
    id: panel
    objectName: "appointmentPanel"
    property var kase: session.currentCase
    visible: kase.appointmentProposed && !kase.closed
    implicitHeight: visible ? column.implicitHeight + 2 * Theme.spacing : 0
    color: Theme.accentSoft

    ColumnLayout {
        id: column
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.top: parent.top
        anchors.margins: Theme.spacing
        spacing: 6

        Label {
            font.bold: true
            color: Theme.text
            Layout.fillWidth: true
            wrapMode: Text.WordWrap
            text: panel.kase.appointmentState === "accepted"
                  ? qsTr("Appointment: %1").arg(panel.kase.appointmentAgreed)
                  : panel.kase.appointmentState === "other-times"
                    ? qsTr("Other times were asked for.")
                    : qsTr("Proposed times for a conversation")
        }
        Label {
            visible: panel.kase.appointmentNote !== "" && panel.kase.appointmentState === "pending"
            text: panel.kase.appointmentNote
            color: Theme.text
            wrapMode: Text.WordWrap
            Layout.fillWidth: true
        }
        // A positioner around the Repeater (see RegistrationPanel.qml).
        Column {
            Layout.fillWidth: true
            spacing: 4
            Repeater {
            model: panel.kase.appointmentState === "pending" ? panel.kase.appointmentSlots : []
            RowLayout {
                width: parent.width
                Label {
                    text: modelData.index + ". " + modelData.text
                    color: Theme.text
                    wrapMode: Text.WordWrap
                    Layout.fillWidth: true
                }
                Button {
                    objectName: "acceptSlot" + modelData.index
                    visible: !session.trustPerson
                    text: qsTr("Accept")
                    Accessible.name: qsTr("Accept time %1").arg(modelData.index)
                    onClicked: panel.kase.answerAppointment(modelData.index, "")
                }
            }
            }
        }
        RowLayout {
            Button {
                objectName: "otherTimesButton"
                visible: !session.trustPerson && panel.kase.appointmentState === "pending"
                text: qsTr("Ask for other times")
                onClicked: panel.kase.answerAppointment(0, "")
            }
            Button {
                objectName: "exportAppointment"
                visible: session.trustPerson && panel.kase.appointmentState === "accepted"
                text: qsTr("Add to my calendar…")
                onClicked: calendarFile.open()
            }
        }
    }

    FileDialog {
        id: calendarFile
        fileMode: FileDialog.SaveFile
        defaultSuffix: "ics"
        nameFilters: [qsTr("Calendar files (*.ics)")]
        onAccepted: panel.kase.exportAppointment(
                        decodeURIComponent(selectedFile.toString().replace("file://", "")))
    }
}
