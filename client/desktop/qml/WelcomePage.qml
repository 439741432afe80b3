// First run: who are you? Then the form for that role.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Confidant
import Confidant.Core

Item {
    id: page
    objectName: "welcomePage"
    property string role: ""

    ScrollView {
        anchors.fill: parent
        contentWidth: availableWidth

        ColumnLayout {
            width: Math.min(parent.width - 4 * Theme.spacing, 560)
            x: (parent.width - width) / 2
            spacing: 2 * Theme.spacing

            Item { Layout.preferredHeight: 2 * Theme.spacing }
            Label {
                text: qsTr("Welcome to Confidant")
                font.pixelSize: Theme.fontTitle + 6
                font.bold: true
                color: Theme.accent
                Layout.fillWidth: true
                wrapMode: Text.WordWrap
            }
            Label {
                Layout.fillWidth: true
                wrapMode: Text.WordWrap
                color: Theme.text
                text: qsTr("Talk in confidence with a trust person of your organisation. "
                           + "What you write is encrypted on this computer: your employer "
                           + "and the relay cannot read it or see who you are.")
            }

            RowLayout {
                visible: page.role === ""
                Layout.fillWidth: true
                spacing: Theme.spacing
                Button {
                    objectName: "iAmEmployee"
                    Layout.fillWidth: true
                    Layout.preferredHeight: 64
                    text: qsTr("I am an employee")
                    Accessible.name: text
                    highlighted: true
                    onClicked: page.role = "employee"
                }
                Button {
                    objectName: "iAmTrustPerson"
                    Layout.fillWidth: true
                    Layout.preferredHeight: 64
                    text: qsTr("I am a trust person")
                    Accessible.name: text
                    onClicked: page.role = "trust-person"
                }
            }

            JoinPage {
                visible: page.role === "employee"
                Layout.fillWidth: true
                onBack: page.role = ""
            }
            EnrollPage {
                visible: page.role === "trust-person"
                Layout.fillWidth: true
                onBack: page.role = ""
            }
            Item { Layout.preferredHeight: 2 * Theme.spacing }
        }
    }
}
