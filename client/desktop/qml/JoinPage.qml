// An employee joins with the organisation's access code.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Confidant
import Confidant.Core

ColumnLayout {
    id: form
    objectName: "joinPage"
    signal back()
    spacing: Theme.spacing

    Label {
        text: qsTr("Join as an employee")
        font.pixelSize: Theme.fontTitle
        font.bold: true
        color: Theme.text
    }
    Label {
        Layout.fillWidth: true
        wrapMode: Text.WordWrap
        color: Theme.textMuted
        text: qsTr("Your organisation gives everyone the same access code, so it "
                   + "does not tell who you are.")
    }
    Label { text: qsTr("Access code"); color: Theme.text }
    TextField {
        id: code
        objectName: "accessCodeField"
        Layout.fillWidth: true
        placeholderText: "ABCDE-FGHIJ-KLMNO-PQRST"
        Accessible.name: qsTr("Access code")
        focus: form.visible
    }
    Label {
        Layout.fillWidth: true
        wrapMode: Text.WordWrap
        color: Theme.text
        text: qsTr("Choose a passphrase. It protects everything on this computer; "
                   + "nobody can reset it for you.")
    }
    PassphraseField {
        id: passphrase
        Layout.fillWidth: true
        showStrength: true
        onAccepted2: join.clicked()
    }
    Label {
        objectName: "joinError"
        visible: text !== ""
        text: session.error
        color: Theme.danger
        wrapMode: Text.WordWrap
        Layout.fillWidth: true
    }
    RowLayout {
        Layout.fillWidth: true
        Button {
            text: qsTr("Back")
            onClicked: { session.clearError(); form.back() }
        }
        Item { Layout.fillWidth: true }
        BusyIndicator { running: session.busy; visible: running; implicitHeight: 32 }
        Button {
            id: join
            objectName: "joinButton"
            text: qsTr("Join")
            highlighted: true
            enabled: !session.busy && code.text.length > 0 && passphrase.accepted
            onClicked: session.join(code.text, passphrase.text, "", "")
        }
    }
}
