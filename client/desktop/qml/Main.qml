// The window: the connection always in view, the quick exit always at hand,
// and the screen for where the user is (first run, unlock, the app).
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Confidant
import Confidant.Core

ApplicationWindow {
    id: window
    objectName: "mainWindow"
    width: 1100
    height: 720
    minimumWidth: 640
    minimumHeight: 480
    visible: true
    title: qsTr("Confidant")
    color: Theme.background
    font.pixelSize: Theme.fontBody

    Connections {
        target: session
        function onHideRequested() { window.hide() }
    }

    // Quick exit from anywhere, even while typing.
    Shortcut {
        objectName: "quickExitShortcut"
        sequences: ["Ctrl+Shift+X", "Shift+Esc"]
        context: Qt.ApplicationShortcut
        onActivated: session.quickExit()
    }

    header: ToolBar {
        background: Rectangle { color: Theme.surface; border.color: Theme.border }
        RowLayout {
            anchors.fill: parent
            anchors.leftMargin: Theme.spacing
            anchors.rightMargin: Theme.spacing
            spacing: Theme.spacing
            Label {
                text: qsTr("Confidant")
                font.pixelSize: Theme.fontHeading
                font.bold: true
                color: Theme.accent
            }
            Label {
                text: session.organisationName
                color: Theme.textMuted
                elide: Text.ElideRight
                Layout.fillWidth: true
            }
            ConnectionBar { visible: session.stage === Session.Main }
            ToolButton {
                objectName: "settingsButton"
                visible: session.stage === Session.Main
                text: qsTr("Settings")
                Accessible.name: qsTr("Settings")
                onClicked: settings.open()
            }
            ToolButton {
                objectName: "lockButton"
                visible: session.stage === Session.Main
                text: qsTr("Lock")
                Accessible.name: qsTr("Lock the app")
                onClicked: session.lock()
            }
            ComboBox {
                objectName: "languageChoice"
                Accessible.name: qsTr("Language")
                model: ["Nederlands", "English"]
                currentIndex: language.code === "nl" ? 0 : 1
                onActivated: (index) => language.code = index === 0 ? "nl" : "en"
                implicitWidth: 130
            }
            QuickExitButton { }
        }
    }

    StackLayout {
        id: stack
        anchors.fill: parent
        currentIndex: session.stage === Session.Welcome ? 0
                    : session.stage === Session.Unlock ? 1 : 2

        WelcomePage { }
        UnlockPage { }
        Loader {
            active: session.stage === Session.Main
            sourceComponent: session.trustPerson ? inbox : employee
        }
    }

    Component { id: inbox; TrustPersonHome { } }
    Component { id: employee; EmployeeHome { } }

    SettingsPage { id: settings }
}
