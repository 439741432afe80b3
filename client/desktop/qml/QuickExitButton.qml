// Hides the window at once and locks the profile (also Ctrl+Shift+X).
import QtQuick
import QtQuick.Controls
import Confidant
import Confidant.Core

Button {
    objectName: "quickExitButton"
    text: qsTr("Quick exit")
    Accessible.name: qsTr("Quick exit: hide and lock at once")
    ToolTip.visible: hovered
    ToolTip.text: qsTr("Hides this window and locks Confidant (Ctrl+Shift+X)")
    palette.button: Theme.danger
    palette.buttonText: "#ffffff"
    font.bold: true
    onClicked: session.quickExit()
}
