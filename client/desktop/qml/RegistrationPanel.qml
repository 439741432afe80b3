// The trust person's registration of the open case; private, never sent.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Confidant
import Confidant.Core

ScrollView {
    id: panel
    objectName: "registrationPanel"
    property var file: session.currentCase.file
    contentWidth: availableWidth
    background: Rectangle { color: Theme.surface; border.color: Theme.border }

    ColumnLayout {
        width: panel.availableWidth
        spacing: 8

        Label {
            Layout.margins: Theme.spacing
            Layout.bottomMargin: 0
            text: qsTr("Registration %1").arg(panel.file.number)
            font.pixelSize: Theme.fontHeading
            font.bold: true
            color: Theme.text
        }
        Label {
            Layout.leftMargin: Theme.spacing
            Layout.rightMargin: Theme.spacing
            Layout.fillWidth: true
            wrapMode: Text.WordWrap
            text: qsTr("Only you see this. It is never sent to anyone.")
            color: Theme.textMuted
            font.pixelSize: Theme.fontSmall
        }

        GridLayout {
            Layout.margins: Theme.spacing
            Layout.fillWidth: true
            columns: 2
            columnSpacing: Theme.spacing
            rowSpacing: 6

            Label { text: qsTr("Status"); color: Theme.text }
            ComboBox {
                objectName: "caseStatusChoice"
                Layout.fillWidth: true
                Layout.minimumWidth: 100
                Accessible.name: qsTr("Status")
                model: panel.file.statusChoices
                textRole: "name"
                valueRole: "value"
                currentIndex: indexOfValue(panel.file.status)
                onActivated: panel.file.setStatus(currentValue)
            }
            Label { text: qsTr("Organisation"); color: Theme.text }
            ComboBox {
                Layout.fillWidth: true
                Accessible.name: qsTr("Organisation")
                model: panel.file.organisationChoices
                textRole: "name"
                valueRole: "value"
                currentIndex: indexOfValue(panel.file.organisation)
                onActivated: panel.file.setOrganisation(currentValue)
            }
            Label { text: qsTr("Reporter"); color: Theme.text }
            ComboBox {
                Layout.fillWidth: true
                Accessible.name: qsTr("Reporter role")
                model: panel.file.roleChoices
                textRole: "name"
                valueRole: "value"
                currentIndex: indexOfValue(panel.file.role)
                onActivated: panel.file.setRole(currentValue)
            }
            Label { text: qsTr("Outcome"); color: Theme.text }
            ComboBox {
                Layout.fillWidth: true
                Accessible.name: qsTr("Outcome")
                model: panel.file.outcomeChoices
                textRole: "name"
                valueRole: "value"
                currentIndex: indexOfValue(panel.file.outcome)
                onActivated: panel.file.setOutcome(currentValue)
            }
            Label { text: qsTr("Conversations"); color: Theme.text }
            SpinBox {
                Accessible.name: qsTr("Number of conversations")
                from: 0; to: 999
                value: panel.file.conversations
                onValueModified: panel.file.setConversations(value)
            }
            Label { text: qsTr("Time spent"); color: Theme.text }
            Flow {
                Layout.fillWidth: true
                spacing: 6
                Label {
                    objectName: "minutesSpent"
                    text: qsTr("%1 min").arg(panel.file.minutes)
                    color: Theme.text
                    height: 36
                    verticalAlignment: Text.AlignVCenter
                }
                Button {
                    text: "+15"
                    implicitWidth: contentItem.implicitWidth + 24
                    Accessible.name: qsTr("Add 15 minutes")
                    onClicked: panel.file.addMinutes(15)
                }
                Button {
                    text: "+60"
                    implicitWidth: contentItem.implicitWidth + 24
                    Accessible.name: qsTr("Add an hour")
                    onClicked: panel.file.addMinutes(60)
                }
            }
        }

        Label {
            Layout.leftMargin: Theme.spacing
            text: qsTr("Categories")
            font.bold: true
            color: Theme.text
        }
        // A positioner around the Repeater: Qt 6.4's layouts keep stale
        // items when a Repeater inside them changes while they are hidden.
        Column {
            Layout.leftMargin: Theme.spacing
            Layout.rightMargin: Theme.spacing
            Layout.fillWidth: true
            Repeater {
                model: panel.file.categories
                WrappingCheckBox {
                    width: parent.width
                    text: modelData.name
                    checked: modelData.checked
                    onToggled: panel.file.toggleCategory(modelData.key)
                }
            }
        }
        Label {
            Layout.leftMargin: Theme.spacing
            text: qsTr("Kind of support")
            font.bold: true
            color: Theme.text
        }
        // A positioner around the Repeater: Qt 6.4's layouts keep stale
        // items when a Repeater inside them changes while they are hidden.
        Column {
            Layout.leftMargin: Theme.spacing
            Layout.rightMargin: Theme.spacing
            Layout.fillWidth: true
            Repeater {
                model: panel.file.support
                WrappingCheckBox {
                    width: parent.width
                    text: modelData.name
                    checked: modelData.checked
                    onToggled: panel.file.toggleSupport(modelData.value)
                }
            }
        }
        Label {
            Layout.leftMargin: Theme.spacing
            text: qsTr("Referred to")
            font.bold: true
            color: Theme.text
        }
        // A positioner around the Repeater: Qt 6.4's layouts keep stale
        // items when a Repeater inside them changes while they are hidden.
        Column {
            Layout.leftMargin: Theme.spacing
            Layout.rightMargin: Theme.spacing
            Layout.fillWidth: true
            Repeater {
                model: panel.file.referrals
                WrappingCheckBox {
                    width: parent.width
                    text: modelData.name
                    checked: modelData.checked
                    onToggled: panel.file.toggleReferral(modelData.value)
                }
            }
        }

        Rectangle {
            visible: panel.file.whistleblower
            Layout.fillWidth: true
            Layout.margins: Theme.spacing
            implicitHeight: wbk.implicitHeight + 2 * Theme.spacing
            radius: Theme.radius
            color: Theme.warningSoft
            ColumnLayout {
                id: wbk
                anchors.fill: parent
                anchors.margins: Theme.spacing
                Label {
                    text: qsTr("Whistleblower report: legal deadlines")
                    font.bold: true
                    color: Theme.text
                    wrapMode: Text.WordWrap
                    Layout.fillWidth: true
                }
                Label {
                    text: qsTr("Acknowledge receipt by: %1").arg(panel.file.acknowledgeBy)
                    color: Theme.text
                    wrapMode: Text.WordWrap
                    Layout.fillWidth: true
                }
                Label {
                    text: qsTr("Feedback by: %1").arg(panel.file.feedbackBy)
                          + (panel.file.extended ? " " + qsTr("(extended)") : "")
                    color: Theme.text
                    wrapMode: Text.WordWrap
                    Layout.fillWidth: true
                }
                Button {
                    visible: !panel.file.feedbackGiven
                    text: qsTr("Feedback given")
                    onClicked: panel.file.recordFeedback()
                }
            }
        }

        Label {
            Layout.leftMargin: Theme.spacing
            text: qsTr("Private notes")
            font.bold: true
            color: Theme.text
        }
        Column {
            Layout.leftMargin: Theme.spacing
            Layout.rightMargin: Theme.spacing
            Layout.fillWidth: true
            Repeater {
            model: panel.file.notes
            ColumnLayout {
                width: parent.width
                spacing: 0
                Label { text: modelData.time; color: Theme.textMuted; font.pixelSize: Theme.fontSmall }
                Label {
                    text: modelData.text
                    color: Theme.text
                    wrapMode: Text.WordWrap
                    textFormat: Text.PlainText
                    Layout.fillWidth: true
                }
            }
            }
        }
        TextArea {
            id: note
            objectName: "noteField"
            Layout.margins: Theme.spacing
            Layout.fillWidth: true
            wrapMode: TextEdit.Wrap
            placeholderText: qsTr("Add a private note")
            Accessible.name: qsTr("Private note")
            background: Rectangle { color: Theme.background; border.color: Theme.border; radius: 4 }
        }
        Button {
            Layout.leftMargin: Theme.spacing
            Layout.bottomMargin: Theme.spacing
            text: qsTr("Save note")
            enabled: note.text.trim().length > 0
            onClicked: if (panel.file.addNote(note.text)) note.text = ""
        }
        Label {
            visible: panel.file.error !== ""
            text: panel.file.error
            color: Theme.danger
            wrapMode: Text.WordWrap
            Layout.fillWidth: true
            Layout.margins: Theme.spacing
        }
    }
}
