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
            // Rarer actions, so that the row fits beside the registration.
            Button {
                id: more
                objectName: "moreActionsButton"
                text: qsTr("More…")
                Accessible.name: qsTr("More actions")
                onClicked: moreMenu.open()
                Menu {
                    id: moreMenu
                    y: more.height
                    MenuItem {
                        objectName: "proposeHandoverButton"
                        text: qsTr("Hand over…")
                        onTriggered: handover.open()
                    }
                    MenuItem {
                        objectName: "blockButton"
                        text: view.kase.blocked ? qsTr("Unblock sender") : qsTr("Block sender")
                        onTriggered: view.kase.block(!view.kase.blocked)
                    }
                }
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

    AppointmentDialog { id: appointment }

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
