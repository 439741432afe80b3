// Later runs: the passphrase unlocks the profile.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Confidant
import Confidant.Core

Item {
    objectName: "unlockPage"

    ColumnLayout {
        anchors.centerIn: parent
        width: Math.min(parent.width - 4 * Theme.spacing, 420)
        spacing: Theme.spacing

        Label {
            text: qsTr("Confidant is locked")
            font.pixelSize: Theme.fontTitle
            font.bold: true
            color: Theme.accent
        }
        Label {
            Layout.fillWidth: true
            wrapMode: Text.WordWrap
            color: Theme.text
            text: qsTr("Enter your passphrase to open your conversations.")
        }
        PassphraseField {
            id: passphrase
            Layout.fillWidth: true
            field.focus: true
            onAccepted2: unlock.clicked()
        }
        Label {
            objectName: "unlockError"
            visible: text !== ""
            text: session.error
            color: Theme.danger
            wrapMode: Text.WordWrap
            Layout.fillWidth: true
        }
        RowLayout {
            Layout.fillWidth: true
            BusyIndicator { running: session.busy; visible: running; implicitHeight: 32 }
            Label {
                visible: session.busy
                text: qsTr("Unlocking…")
                color: Theme.textMuted
            }
            Item { Layout.fillWidth: true }
            Button {
                id: unlock
                objectName: "unlockButton"
                text: qsTr("Unlock")
                highlighted: true
                enabled: !session.busy && passphrase.text.length > 0
                onClicked: {
                    session.unlock(passphrase.text)
                    passphrase.text = ""
                }
            }
        }
    }
}
