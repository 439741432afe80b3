// One trust person: name, internal or external, languages, introduction.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Confidant
import Confidant.Core

Frame {
    id: card
    objectName: "trustPersonCard"
    signal chosen()
    padding: Theme.spacing
    background: Rectangle {
        color: Theme.surface
        border.color: card.activeFocus ? Theme.accent : Theme.border
        border.width: card.activeFocus ? 2 : 1
        radius: Theme.radius
    }
    activeFocusOnTab: true
    Accessible.role: Accessible.Button
    Accessible.name: qsTr("Trust person %1").arg(name)
    Keys.onReturnPressed: card.chosen()
    Keys.onSpacePressed: card.chosen()

    ColumnLayout {
        anchors.left: parent.left
        anchors.right: parent.right
        spacing: 4
        Label {
            text: name
            font.pixelSize: Theme.fontHeading
            font.bold: true
            color: Theme.text
            Layout.fillWidth: true
            wrapMode: Text.WordWrap
        }
        Label {
            text: (external ? qsTr("External trust person") : qsTr("Internal trust person"))
                  + (languages !== "" ? " · " + languages : "")
            color: Theme.textMuted
            font.pixelSize: Theme.fontSmall
            Layout.fillWidth: true
            wrapMode: Text.WordWrap
        }
        Label {
            visible: intro !== ""
            text: intro
            color: Theme.text
            Layout.fillWidth: true
            wrapMode: Text.WordWrap
        }
        Button {
            objectName: "chooseTrustPerson"
            text: qsTr("Write to %1").arg(name)
            Accessible.name: text
            onClicked: card.chosen()
        }
    }
}
