// One entry: a message on its writer's side with its delivery state, or a
// case event in the middle.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Confidant
import Confidant.Core

Item {
    id: entry
    implicitHeight: (event !== "" ? eventBox.implicitHeight : bubble.implicitHeight) + 4
    Accessible.role: Accessible.StaticText
    Accessible.name: (outgoing ? qsTr("You wrote") : qsTr("They wrote")) + ": " + text

    Rectangle {
        id: eventBox
        visible: event !== ""
        anchors.horizontalCenter: parent.horizontalCenter
        width: Math.min(parent.width - 6 * Theme.spacing, eventText.implicitWidth + 2 * Theme.spacing)
        implicitHeight: eventText.implicitHeight + Theme.spacing
        radius: Theme.radius
        color: Theme.surfaceAlt
        Label {
            id: eventText
            anchors.fill: parent
            anchors.margins: Theme.spacing / 2
            horizontalAlignment: Text.AlignHCenter
            wrapMode: Text.WordWrap
            color: Theme.text
            text: model.text + "  ·  " + time
            font.pixelSize: Theme.fontSmall
        }
    }

    Rectangle {
        id: bubble
        visible: event === ""
        readonly property real maxWidth: Math.max(200, parent.width * 0.7)
        width: Math.min(maxWidth, Math.max(body.implicitWidth, meta.implicitWidth) + 2 * Theme.spacing)
        implicitHeight: column.implicitHeight + Theme.spacing
        x: outgoing ? parent.width - width - Theme.spacing : Theme.spacing
        radius: Theme.radius
        color: outgoing ? Theme.outgoing : Theme.incoming
        border.color: Theme.border

        ColumnLayout {
            id: column
            anchors.fill: parent
            anchors.margins: Theme.spacing / 2
            anchors.leftMargin: Theme.spacing
            anchors.rightMargin: Theme.spacing
            spacing: 2
            Label {
                visible: forwarded
                text: qsTr("Forwarded from the earlier case")
                color: Theme.textMuted
                font.pixelSize: Theme.fontSmall
                font.italic: true
            }
            Label {
                id: body
                objectName: "messageText"
                text: model.text
                wrapMode: Text.Wrap
                color: Theme.text
                textFormat: Text.PlainText
                Layout.fillWidth: true
                Layout.maximumWidth: bubble.maxWidth - 2 * Theme.spacing
            }
            Label {
                id: meta
                objectName: "messageMeta"
                text: delivery !== "" ? time + "  ·  " + delivery : time
                color: deliveryState === 4 ? Theme.danger : Theme.textMuted
                font.pixelSize: Theme.fontSmall
                Layout.alignment: Qt.AlignRight
            }
        }
    }
}
