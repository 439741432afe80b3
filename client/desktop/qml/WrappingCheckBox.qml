// A check box whose text wraps instead of being cut off (long category
// names, larger text).
import QtQuick
import QtQuick.Controls
import Confidant

CheckBox {
    id: box
    contentItem: Text {
        text: box.text
        font: box.font
        color: Theme.text
        wrapMode: Text.WordWrap
        verticalAlignment: Text.AlignVCenter
        leftPadding: box.indicator.width + box.spacing
    }
}
