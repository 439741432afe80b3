// The employee: the organisation's trust persons to choose from, the
// conversations so far, and the open one.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Confidant
import Confidant.Core

SplitView {
    id: home
    objectName: "employeeHome"
    property string chosenPerson: ""
    property string chosenName: ""

    Connections {
        target: session
        function onCaseOpened() { home.chosenPerson = "" }
    }

    ScrollView {
        SplitView.preferredWidth: 340
        SplitView.minimumWidth: 260
        contentWidth: availableWidth
        ColumnLayout {
            width: parent.width
            spacing: Theme.spacing
            Item { Layout.preferredHeight: 4 }
            Label {
                Layout.leftMargin: Theme.spacing
                text: qsTr("Trust persons")
                font.pixelSize: Theme.fontHeading
                font.bold: true
                color: Theme.text
            }
            Label {
                Layout.leftMargin: Theme.spacing
                Layout.rightMargin: Theme.spacing
                Layout.fillWidth: true
                visible: session.trustPersons.count === 0
                wrapMode: Text.WordWrap
                color: Theme.textMuted
                text: qsTr("The list of trust persons comes from the relay; it shows "
                           + "once you are connected.")
            }
            // Like every Repeater whose model changes, in a positioner rather
            // than straight in the layout (see RegistrationPanel.qml).
            Column {
                Layout.fillWidth: true
                Layout.leftMargin: Theme.spacing
                Layout.rightMargin: Theme.spacing
                spacing: Theme.spacing
                Repeater {
                    model: session.trustPersons
                    TrustPersonCard {
                        width: parent.width
                        onChosen: {
                            home.chosenPerson = personId
                            home.chosenName = name
                        }
                    }
                }
            }
            Label {
                Layout.leftMargin: Theme.spacing
                Layout.topMargin: Theme.spacing
                visible: session.cases.count > 0
                text: qsTr("Your conversations")
                font.pixelSize: Theme.fontHeading
                font.bold: true
                color: Theme.text
            }
            Column {
                Layout.fillWidth: true
                Repeater {
                    model: session.cases
                    ListDelegate {
                        objectName: "caseItem"
                        width: parent.width
                        highlighted: session.currentCase.caseId === caseId
                        Accessible.name: qsTr("Conversation with %1, %n unread", "", unread).arg(title)
                        onClicked: session.openCase(caseId)
                        contentItem: RowLayout {
                            spacing: Theme.spacing
                            ColumnLayout {
                                Layout.fillWidth: true
                                spacing: 2
                                Label {
                                    text: title
                                    font.bold: unread > 0
                                    color: Theme.text
                                    elide: Text.ElideRight
                                    Layout.fillWidth: true
                                }
                                Label {
                                    text: subtitle !== "" ? subtitle + " · " + activity : activity
                                    color: Theme.textMuted
                                    font.pixelSize: Theme.fontSmall
                                    elide: Text.ElideRight
                                    Layout.fillWidth: true
                                }
                            }
                            Rectangle {
                                visible: unread > 0
                                objectName: "unreadBadge"
                                implicitWidth: Math.max(22, badge.implicitWidth + 10)
                                implicitHeight: 22
                                radius: 11
                                color: Theme.accent
                                Label {
                                    id: badge
                                    anchors.centerIn: parent
                                    text: unread
                                    color: Theme.accentText
                                    font.pixelSize: Theme.fontSmall
                                    font.bold: true
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    Item {
        SplitView.fillWidth: true

        // Writing to a trust person for the first time.
        ColumnLayout {
            objectName: "newCasePane"
            visible: home.chosenPerson !== ""
            anchors.fill: parent
            anchors.margins: 2 * Theme.spacing
            spacing: Theme.spacing
            Label {
                text: qsTr("Write to %1").arg(home.chosenName)
                font.pixelSize: Theme.fontTitle
                font.bold: true
                color: Theme.text
                Layout.fillWidth: true
                wrapMode: Text.WordWrap
            }
            Label {
                Layout.fillWidth: true
                wrapMode: Text.WordWrap
                color: Theme.textMuted
                text: qsTr("Only %1 can read this. You do not need to give your name.")
                      .arg(home.chosenName)
            }
            ScrollView {
                Layout.fillWidth: true
                Layout.fillHeight: true
                TextArea {
                    id: first
                    objectName: "firstMessageField"
                    wrapMode: TextEdit.Wrap
                    placeholderText: qsTr("What would you like to talk about?")
                    Accessible.name: qsTr("Your first message")
                    background: Rectangle { color: Theme.surface; border.color: Theme.border; radius: 4 }
                }
            }
            Label {
                visible: text !== ""
                text: session.error
                color: Theme.danger
                wrapMode: Text.WordWrap
                Layout.fillWidth: true
            }
            RowLayout {
                Layout.fillWidth: true
                Button {
                    text: qsTr("Cancel")
                    onClicked: home.chosenPerson = ""
                }
                Item { Layout.fillWidth: true }
                Button {
                    objectName: "startCaseButton"
                    text: qsTr("Send")
                    highlighted: true
                    enabled: first.text.trim().length > 0
                    onClicked: {
                        const text = first.text
                        session.startCase(home.chosenPerson, text)
                        if (session.currentCase.active) first.text = ""
                    }
                }
            }
        }

        ConversationView {
            visible: home.chosenPerson === "" && session.currentCase.active
            anchors.fill: parent
        }

        Label {
            visible: home.chosenPerson === "" && !session.currentCase.active
            anchors.centerIn: parent
            width: Math.min(parent.width - 4 * Theme.spacing, 420)
            horizontalAlignment: Text.AlignHCenter
            wrapMode: Text.WordWrap
            color: Theme.textMuted
            text: qsTr("Choose a trust person to start a conversation.")
        }
    }
}
