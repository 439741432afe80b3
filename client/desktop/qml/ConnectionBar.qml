// Connected, reconnecting, or offline with how many messages wait.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Confidant
import Confidant.Core

Rectangle {
    id: bar
    objectName: "connectionBar"
    readonly property string text: session.connection === Session.Connected
        ? (session.queued > 0 ? qsTr("Connected, sending %n message(s)", "", session.queued)
                              : qsTr("Connected"))
        : session.connection === Session.Connecting
            ? qsTr("Connecting…")
            : (session.queued > 0
                ? qsTr("Offline: %n message(s) waiting", "", session.queued)
                : qsTr("Offline: reconnecting"))
    implicitWidth: row.implicitWidth + 2 * Theme.spacing
    implicitHeight: 30
    radius: height / 2
    color: session.connection === Session.Connected ? Theme.surfaceAlt
         : Theme.warningSoft
    Accessible.role: Accessible.StaticText
    Accessible.name: text

    RowLayout {
        id: row
        anchors.centerIn: parent
        spacing: 6
        Rectangle {
            width: 10; height: 10; radius: 5
            color: session.connection === Session.Connected ? Theme.ok
                 : session.connection === Session.Connecting ? Theme.warning
                 : Theme.danger
        }
        Label {
            objectName: "connectionText"
            text: bar.text
            color: Theme.text
            font.pixelSize: Theme.fontSmall
        }
    }
}
