// Connection and app settings, in plain words.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Confidant
import Confidant.Core

Dialog {
    id: dialog
    objectName: "settingsDialog"
    title: qsTr("Settings")
    modal: true
    anchors.centerIn: Overlay.overlay
    width: Math.min(parent ? parent.width - 40 : 560, 560)
    footer: DialogButtonBox {
        Button {
            text: qsTr("Save")
            highlighted: true
            DialogButtonBox.buttonRole: DialogButtonBox.AcceptRole
        }
        Button {
            text: qsTr("Cancel")
            DialogButtonBox.buttonRole: DialogButtonBox.RejectRole
        }
    }
    onOpened: {
        relay.text = session.relay
        ca.text = session.tlsCa
        proxy.text = session.proxy
        lock.value = session.lockMinutes
    }
    onAccepted: {
        session.saveSettings(relay.text, ca.text, proxy.text)
        session.lockMinutes = lock.value
    }

    ScrollView {
        anchors.fill: parent
        contentWidth: availableWidth
        ColumnLayout {
            width: parent.width
            spacing: 6
            Label { text: qsTr("Relay address"); color: Theme.text }
            TextField { id: relay; Layout.fillWidth: true; Accessible.name: qsTr("Relay address") }
            Label { text: qsTr("Certificate file of the relay (optional)"); color: Theme.text }
            TextField { id: ca; Layout.fillWidth: true; Accessible.name: qsTr("Certificate file") }
            Label { text: qsTr("Tor (optional)"); color: Theme.text; font.bold: true }
            Label {
                Layout.fillWidth: true
                wrapMode: Text.WordWrap
                color: Theme.textMuted
                text: qsTr("If you do not want your employer's network to see that you "
                           + "use Confidant, run Tor on this computer and enter its "
                           + "HTTPTunnelPort here, for example http://127.0.0.1:9080. "
                           + "Every connection then goes through Tor.")
            }
            TextField { id: proxy; Layout.fillWidth: true; placeholderText: "http://127.0.0.1:9080"; Accessible.name: qsTr("Tor proxy") }
            Label {
                Layout.fillWidth: true
                wrapMode: Text.WordWrap
                color: Theme.textMuted
                text: qsTr("Connection settings take effect the next time you unlock.")
            }
            RowLayout {
                Label { text: qsTr("Lock after this many idle minutes"); color: Theme.text; Layout.fillWidth: true; wrapMode: Text.WordWrap }
                SpinBox { id: lock; from: 1; to: 240; Accessible.name: qsTr("Lock after idle minutes") }
            }
        }
    }
}
