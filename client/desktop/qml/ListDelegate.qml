// A row of a list: readable when selected (dark text on a light accent).
import QtQuick
import QtQuick.Controls
import Confidant

ItemDelegate {
    id: row
    // The row the arrow keys are on while its list has the focus.
    readonly property bool keyboardCurrent: ListView.isCurrentItem && ListView.view !== null
                                            && ListView.view.activeFocus
    background: Rectangle {
        color: row.highlighted ? Theme.accentSoft
             : row.hovered ? Theme.surfaceAlt : "transparent"
        border.color: row.visualFocus || row.keyboardCurrent ? Theme.accent : "transparent"
        border.width: 2
    }
}
