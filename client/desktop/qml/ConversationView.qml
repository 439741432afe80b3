// The open case's conversation, with what is shared about it, and the box to
// write in. Typing is never lost: the text stays until it was queued.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Confidant
import Confidant.Core

ColumnLayout {
    id: view
    objectName: "conversationView"
    property var kase: session.currentCase
    spacing: 0

    Rectangle {
        Layout.fillWidth: true
        implicitHeight: head.implicitHeight + 2 * Theme.spacing
        color: Theme.surface
        border.color: Theme.border
        RowLayout {
            id: head
            anchors.fill: parent
            anchors.margins: Theme.spacing
            spacing: Theme.spacing
            ColumnLayout {
                Layout.fillWidth: true
                spacing: 2
                Label {
                    objectName: "caseTitle"
                    text: view.kase.title
                    font.pixelSize: Theme.fontHeading
                    font.bold: true
                    color: Theme.text
                    elide: Text.ElideRight
                    Layout.fillWidth: true
                }
                Label {
                    objectName: "sharedStatus"
                    visible: view.kase.sharedStatus !== "" || view.kase.handedOver
                    text: view.kase.handedOver
                          ? qsTr("Handed over to a colleague")
                          : qsTr("Status: %1").arg(view.kase.sharedStatus)
                    color: Theme.textMuted
                    font.pixelSize: Theme.fontSmall
                }
            }
            Button {
                objectName: "safetyNumberButton"
                text: qsTr("Safety number")
                Accessible.name: qsTr("Compare the safety number")
                onClicked: safety.open()
            }
        }
    }

    // A changed safety number blocks sending until the new one is accepted.
    Rectangle {
        objectName: "safetyWarning"
        visible: view.kase.safetyChanged
        Layout.fillWidth: true
        implicitHeight: warn.implicitHeight + 2 * Theme.spacing
        color: Theme.dangerSoft
        RowLayout {
            id: warn
            anchors.fill: parent
            anchors.margins: Theme.spacing
            Label {
                Layout.fillWidth: true
                wrapMode: Text.WordWrap
                color: Theme.danger
                text: qsTr("The safety number of this conversation changed. Someone "
                           + "else may be answering. Compare the new number with "
                           + "the other person before you send anything.")
            }
            Button {
                text: qsTr("Compare")
                onClicked: safety.open()
            }
        }
    }
    Rectangle {
        visible: view.kase.unsolicited
        Layout.fillWidth: true
        implicitHeight: unsolicited.implicitHeight + 2 * Theme.spacing
        color: Theme.warningSoft
        Label {
            id: unsolicited
            anchors.fill: parent
            anchors.margins: Theme.spacing
            wrapMode: Text.WordWrap
            color: Theme.warning
            text: qsTr("A trust person started this conversation, but you never "
                       + "wrote to them. Be careful what you share.")
        }
    }

    AppointmentPanel { Layout.fillWidth: true }
    HandoverPanel { Layout.fillWidth: true }

    ListView {
        id: list
        objectName: "messageList"
        Layout.fillWidth: true
        Layout.fillHeight: true
        clip: true
        spacing: 6
        topMargin: Theme.spacing
        bottomMargin: Theme.spacing
        model: view.kase.conversation
        delegate: MessageBubble { width: list.width }
        onCountChanged: Qt.callLater(function() { if (list) list.positionViewAtEnd() })
        Accessible.name: qsTr("Messages")
    }

    Label {
        visible: view.kase.error !== ""
        text: view.kase.error
        color: Theme.danger
        wrapMode: Text.WordWrap
        Layout.fillWidth: true
        Layout.margins: Theme.spacing
    }

    Rectangle {
        Layout.fillWidth: true
        implicitHeight: composer.implicitHeight + 2 * Theme.spacing
        color: Theme.surface
        border.color: Theme.border
        visible: !view.kase.closed
        RowLayout {
            id: composer
            anchors.fill: parent
            anchors.margins: Theme.spacing
            spacing: Theme.spacing
            ScrollView {
                Layout.fillWidth: true
                Layout.preferredHeight: Math.min(120, Math.max(44, draft.implicitHeight))
                TextArea {
                    id: draft
                    objectName: "messageField"
                    wrapMode: TextEdit.Wrap
                    enabled: !view.kase.safetyChanged
                    placeholderText: view.kase.safetyChanged
                        ? qsTr("Compare the safety number first")
                        : qsTr("Write a message")
                    Accessible.name: qsTr("Your message")
                    background: Rectangle { color: Theme.background; radius: 4 }
                    Keys.onPressed: (event) => {
                        if ((event.key === Qt.Key_Return || event.key === Qt.Key_Enter)
                                && (event.modifiers & Qt.ControlModifier)) {
                            send.clicked()
                            event.accepted = true
                        }
                    }
                }
            }
            Button {
                id: send
                objectName: "sendButton"
                text: qsTr("Send")
                highlighted: true
                Accessible.name: qsTr("Send (Ctrl+Enter)")
                enabled: draft.text.trim().length > 0 && !view.kase.safetyChanged
                onClicked: if (view.kase.send(draft.text)) draft.text = ""
            }
        }
    }
    Label {
        visible: view.kase.closed
        Layout.fillWidth: true
        Layout.margins: Theme.spacing
        wrapMode: Text.WordWrap
        color: Theme.textMuted
        text: view.kase.handedOver
              ? qsTr("This case was handed over. The conversation goes on in the new case.")
              : qsTr("This case is closed.")
    }

    SafetyNumberPage { id: safety }
}
