// A proposed hand-over: the employee consents (choosing whether the
// conversation so far goes along) or refuses; the trust person sees the
// answer. Nothing moves without consent.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Confidant
import Confidant.Core

Rectangle {
    id: panel
    objectName: "handoverPanel"
    property var kase: session.currentCase
    visible: kase.handoverState !== "" && !(kase.handoverState === "consented" && !session.trustPerson)
    implicitHeight: visible ? column.implicitHeight + 2 * Theme.spacing : 0
    color: Theme.warningSoft

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
            wrapMode: Text.WordWrap
            Layout.fillWidth: true
            text: panel.kase.handoverState === "pending"
                  ? (session.trustPerson
                     ? qsTr("You proposed that %1 takes over. Waiting for the answer.")
                           .arg(panel.kase.handoverTo)
                     : qsTr("Your trust person proposes that %1 takes over this case.")
                           .arg(panel.kase.handoverTo))
                  : panel.kase.handoverState === "refused"
                    ? qsTr("The hand-over to %1 was refused.").arg(panel.kase.handoverTo)
                    : qsTr("The case was handed over to %1.").arg(panel.kase.handoverTo)
        }
        Label {
            visible: panel.kase.handoverState === "pending"
            text: qsTr("Reason: %1").arg(panel.kase.handoverReason)
                  + (panel.kase.handoverNote !== "" ? "\n" + panel.kase.handoverNote : "")
            color: Theme.text
            wrapMode: Text.WordWrap
            Layout.fillWidth: true
        }
        CheckBox {
            id: forward
            objectName: "forwardHistory"
            visible: !session.trustPerson && panel.kase.handoverState === "pending"
            checked: true
            text: qsTr("Send our conversation so far along to %1").arg(panel.kase.handoverTo)
        }
        RowLayout {
            visible: !session.trustPerson && panel.kase.handoverState === "pending"
            Button {
                objectName: "consentHandover"
                text: qsTr("Agree")
                highlighted: true
                onClicked: panel.kase.answerHandover(true, forward.checked)
            }
            Button {
                objectName: "refuseHandover"
                text: qsTr("Refuse")
                onClicked: panel.kase.answerHandover(false, false)
            }
        }
    }
}
