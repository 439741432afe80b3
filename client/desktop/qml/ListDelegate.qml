// A row of a list: readable when selected (dark text on a light accent).
import QtQuick
import QtQuick.Controls
import Confidant

ItemDelegate {
    id: row
    background: Rectangle {
        color: row.highlighted ? Theme.accentSoft
             : row.hovered ? Theme.surfaceAlt : "transparent"
        border.color: row.visualFocus ? Theme.accent : "transparent"
        border.width: 2
    }
}
