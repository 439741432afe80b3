// A passphrase with a strength hint (for a new profile) or without (unlock).
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Confidant
import Confidant.Core

ColumnLayout {
    id: root
    property alias text: field.text
    property bool showStrength: false
    property alias field: field
    readonly property int strength: session.passphraseStrength(field.text)
    readonly property bool accepted: session.passphraseAccepted(field.text)
    signal accepted2()
    spacing: 4

    TextField {
        id: field
        objectName: "passphraseField"
        Layout.fillWidth: true
        echoMode: TextInput.Password
        placeholderText: qsTr("Passphrase")
        Accessible.name: qsTr("Passphrase")
        onAccepted: root.accepted2()
    }
    RowLayout {
        visible: root.showStrength && field.text.length > 0
        Layout.fillWidth: true
        spacing: 4
        Repeater {
            model: 4
            Rectangle {
                Layout.fillWidth: true
                height: 6
                radius: 3
                color: index < root.strength
                       ? (root.accepted ? Theme.ok : Theme.warning)
                       : Theme.surfaceAlt
            }
        }
    }
    Label {
        visible: root.showStrength && field.text.length > 0
        Layout.fillWidth: true
        wrapMode: Text.WordWrap
        color: root.accepted ? Theme.ok : Theme.warning
        font.pixelSize: Theme.fontSmall
        text: root.accepted
              ? (root.strength >= 4 ? qsTr("Strong passphrase.")
                                    : qsTr("Good enough. Longer is stronger."))
              : qsTr("Too easy to guess. Use four or more unusual words.")
    }
}
