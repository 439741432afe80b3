// A tab of the trust person's sections: roomy, the chosen one underlined
// in the accent colour.
import QtQuick
import QtQuick.Controls
import Confidant

TabButton {
    id: tab
    width: implicitWidth
    leftPadding: 18
    rightPadding: 18
    topPadding: 10
    bottomPadding: 10
    Accessible.name: text
    contentItem: Label {
        text: tab.text
        font.bold: tab.checked
        color: tab.checked ? Theme.accent : Theme.text
        horizontalAlignment: Text.AlignHCenter
        verticalAlignment: Text.AlignVCenter
    }
    background: Rectangle {
        color: tab.hovered ? Theme.surfaceAlt : Theme.surface
        border.color: tab.visualFocus ? Theme.accent : "transparent"
        border.width: 2
        Rectangle {
            anchors.left: parent.left
            anchors.right: parent.right
            anchors.bottom: parent.bottom
            height: 3
            color: tab.checked ? Theme.accent : "transparent"
        }
    }
}
