// A trust person's case: the conversation beside the registration panel,
// and what to share with the employee.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Confidant
import Confidant.Core

SplitView {
    id: view
    objectName: "caseView"
    property var kase: session.currentCase

    ColumnLayout {
        SplitView.fillWidth: true
        spacing: 0
        Flow {
            Layout.fillWidth: true
            Layout.margins: 6
            spacing: 6
            visible: !view.kase.closed
            ComboBox {
                id: share
                objectName: "shareStatusChoice"
                Accessible.name: qsTr("Share a status with the employee")
                model: [qsTr("Share a status…"), qsTr("Received"), qsTr("In progress"), qsTr("Closed")]
                implicitWidth: 190
                onActivated: (index) => {
                    if (index > 0) view.kase.shareStatus(index)
                    currentIndex = 0
                }
            }
            Button {
                objectName: "acknowledgeButton"
                text: qsTr("Acknowledge receipt")
                onClicked: view.kase.acknowledge()
            }
            Button {
                objectName: "proposeAppointmentButton"
                text: qsTr("Propose a time…")
                onClicked: appointment.open()
            }
            Button {
                objectName: "proposeHandoverButton"
                text: qsTr("Hand over…")
                onClicked: handover.open()
            }
            Button {
                objectName: "blockButton"
                text: view.kase.blocked ? qsTr("Unblock sender") : qsTr("Block sender")
                onClicked: view.kase.block(!view.kase.blocked)
            }
        }
        ConversationView {
            Layout.fillWidth: true
            Layout.fillHeight: true
        }
    }

    RegistrationPanel {
        SplitView.preferredWidth: 340
        SplitView.minimumWidth: 280
    }

    Dialog {
        id: appointment
        objectName: "appointmentDialog"
        title: qsTr("Propose a time")
        modal: true
        anchors.centerIn: Overlay.overlay
        footer: DialogButtonBox {
            Button {
                text: qsTr("OK")
                highlighted: true
                DialogButtonBox.buttonRole: DialogButtonBox.AcceptRole
            }
            Button {
                text: qsTr("Cancel")
                DialogButtonBox.buttonRole: DialogButtonBox.RejectRole
            }
        }
        property date start: {
            const d = new Date()
            d.setDate(d.getDate() + 2)
            d.setHours(10, 0, 0, 0)
            return d
        }
        ColumnLayout {
            spacing: Theme.spacing
            Label { text: qsTr("Day and time (YYYY-MM-DD HH:MM)"); color: Theme.text }
            TextField {
                id: when
                objectName: "slotWhen"
                text: Qt.formatDateTime(appointment.start, "yyyy-MM-dd HH:mm")
                Accessible.name: qsTr("Day and time")
            }
            RowLayout {
                Label { text: qsTr("Minutes"); color: Theme.text }
                SpinBox { id: minutes; from: 15; to: 240; stepSize: 15; value: 45 }
            }
            ComboBox {
                id: mode
                model: [qsTr("Online"), qsTr("By phone"), qsTr("On location")]
            }
            TextField {
                id: place
                visible: mode.currentIndex === 2
                placeholderText: qsTr("Where")
                Accessible.name: qsTr("Where")
            }
        }
        onAccepted: {
            const start = Date.fromLocaleString(Qt.locale(), when.text, "yyyy-MM-dd HH:mm")
            view.kase.proposeAppointment([{ start: start, minutes: minutes.value,
                                            mode: mode.currentIndex + 1,
                                            place: mode.currentIndex === 2 ? place.text : "" }], "")
        }
    }

    Dialog {
        id: handover
        objectName: "handoverDialog"
        title: qsTr("Hand over to a colleague")
        modal: true
        anchors.centerIn: Overlay.overlay
        footer: DialogButtonBox {
            Button {
                text: qsTr("OK")
                highlighted: true
                DialogButtonBox.buttonRole: DialogButtonBox.AcceptRole
            }
            Button {
                text: qsTr("Cancel")
                DialogButtonBox.buttonRole: DialogButtonBox.RejectRole
            }
        }
        ColumnLayout {
            spacing: Theme.spacing
            Label {
                text: qsTr("Colleague of the organisation")
                color: Theme.text
            }
            ComboBox {
                id: colleague
                objectName: "colleagueChoice"
                Layout.preferredWidth: 320
                Accessible.name: qsTr("Colleague")
                model: session.trustPersons
                textRole: "name"
                valueRole: "personId"
            }
            ComboBox {
                id: reason
                Layout.fillWidth: true
                model: [qsTr("Conflict of interest"),
                        qsTr("The other party already has this trust person"),
                        qsTr("Absence")]
            }
            TextField {
                id: note
                Layout.fillWidth: true
                placeholderText: qsTr("A note for the employee (optional)")
            }
        }
        onAccepted: if (colleague.currentIndex >= 0)
                        view.kase.proposeHandover(colleague.currentValue, reason.currentIndex + 1, note.text)
    }
}
