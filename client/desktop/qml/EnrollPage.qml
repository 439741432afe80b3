// A trust person registers with a one-time invite and a public profile.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Confidant
import Confidant.Core

ColumnLayout {
    id: form
    objectName: "enrollPage"
    signal back()
    spacing: Theme.spacing

    Label {
        text: qsTr("Register as a trust person")
        font.pixelSize: Theme.fontTitle
        font.bold: true
        color: Theme.text
    }
    Label { text: qsTr("Invite code"); color: Theme.text }
    TextField {
        id: invite
        objectName: "inviteField"
        Layout.fillWidth: true
        Accessible.name: qsTr("Invite code")
    }
    Label { text: qsTr("Your name, as employees will see it"); color: Theme.text }
    TextField {
        id: name
        objectName: "nameField"
        Layout.fillWidth: true
        Accessible.name: qsTr("Your name")
    }
    RowLayout {
        Layout.fillWidth: true
        RadioButton {
            id: internal
            objectName: "internalChoice"
            checked: true
            text: qsTr("Internal (employed by the organisation)")
        }
        RadioButton {
            id: external
            objectName: "externalChoice"
            text: qsTr("External")
        }
    }
    Label { text: qsTr("Languages you speak (e.g. nl, en)"); color: Theme.text }
    TextField {
        id: languages
        objectName: "languagesField"
        Layout.fillWidth: true
        text: "nl, en"
        Accessible.name: qsTr("Languages")
    }
    Label { text: qsTr("A short introduction"); color: Theme.text }
    TextArea {
        id: intro
        objectName: "introField"
        Layout.fillWidth: true
        Layout.preferredHeight: 80
        wrapMode: TextEdit.Wrap
        Accessible.name: qsTr("Introduction")
        background: Rectangle { color: Theme.surface; border.color: Theme.border; radius: 4 }
    }
    Label {
        Layout.fillWidth: true
        wrapMode: Text.WordWrap
        color: Theme.text
        text: qsTr("Choose a passphrase. It protects your cases on this computer; "
                   + "nobody can reset it for you.")
    }
    PassphraseField {
        id: passphrase
        Layout.fillWidth: true
        showStrength: true
    }
    Label {
        objectName: "enrollError"
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
            objectName: "enrollButton"
            text: qsTr("Register")
            highlighted: true
            enabled: !session.busy && invite.text.length > 0 && name.text.length > 0
                     && passphrase.accepted
            onClicked: session.enroll(invite.text, name.text, external.checked,
                                      languages.text, intro.text, passphrase.text, "", "")
        }
    }
}
