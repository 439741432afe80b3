// The trust person's cases: newest activity first, with unread and deadline
// badges and filters; the open case beside it.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Confidant
import Confidant.Core

SplitView {
    id: inbox
    objectName: "inboxPage"

    ColumnLayout {
        SplitView.preferredWidth: 320
        SplitView.minimumWidth: 280
        spacing: 0

        Rectangle {
            Layout.fillWidth: true
            implicitHeight: filters.implicitHeight + 2 * Theme.spacing
            color: Theme.surface
            border.color: Theme.border
            ColumnLayout {
                id: filters
                anchors.fill: parent
                anchors.margins: Theme.spacing
                spacing: 6
                Label {
                    text: qsTr("Cases")
                    font.pixelSize: Theme.fontHeading
                    font.bold: true
                    color: Theme.text
                }
                RowLayout {
                    Layout.fillWidth: true
                    ComboBox {
                        objectName: "statusFilter"
                        Layout.fillWidth: true
                        Accessible.name: qsTr("Show cases")
                        model: [qsTr("All cases"), qsTr("Open"), qsTr("Closed")]
                        onActivated: (index) => session.cases.statusFilter =
                                         ["", "open", "closed"][index]
                    }
                    ComboBox {
                        id: organisationFilter
                        objectName: "organisationFilter"
                        // Only for a trust person of several organisations.
                        visible: session.reports.organisations.length > 1
                        Layout.fillWidth: true
                        Accessible.name: qsTr("Organisation")
                        model: [{ id: "", name: qsTr("All organisations") }]
                               .concat(session.reports.organisations)
                        textRole: "name"
                        valueRole: "id"
                        onActivated: session.cases.organisationFilter = currentValue
                    }
                    CheckBox {
                        objectName: "dueFilter"
                        text: qsTr("Due")
                        Accessible.name: qsTr("Only cases with a deadline due")
                        onToggled: session.cases.dueOnly = checked
                    }
                }
            }
        }

        ListView {
            id: list
            objectName: "caseList"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            model: session.cases
            keyNavigationEnabled: true
            activeFocusOnTab: true
            Accessible.name: qsTr("Cases")
            Keys.onReturnPressed: if (currentItem) session.openCase(currentItem.rowCaseId)
            Keys.onEnterPressed: if (currentItem) session.openCase(currentItem.rowCaseId)
            delegate: ListDelegate {
                readonly property string rowCaseId: caseId
                objectName: "caseItem"
                width: list.width
                highlighted: session.currentCase.caseId === caseId
                Accessible.name: qsTr("Case %1, %2, %n unread", "", unread).arg(title).arg(subtitle)
                onClicked: session.openCase(caseId)
                contentItem: RowLayout {
                    spacing: Theme.spacing
                    ColumnLayout {
                        Layout.fillWidth: true
                        spacing: 2
                        RowLayout {
                            Label {
                                text: title
                                font.bold: unread > 0
                                color: Theme.text
                            }
                            Label {
                                text: subtitle
                                color: Theme.textMuted
                                font.pixelSize: Theme.fontSmall
                                elide: Text.ElideRight
                                Layout.fillWidth: true
                            }
                        }
                        Label {
                            text: activity
                            color: Theme.textMuted
                            font.pixelSize: Theme.fontSmall
                        }
                        Rectangle {
                            objectName: "deadlineBadge"
                            visible: due !== ""
                            implicitWidth: dueText.implicitWidth + 12
                            implicitHeight: dueText.implicitHeight + 4
                            radius: 4
                            color: dueState >= 2 ? Theme.dangerSoft : Theme.warningSoft
                            Label {
                                id: dueText
                                anchors.centerIn: parent
                                text: due
                                color: dueState >= 2 ? Theme.danger : Theme.warning
                                font.pixelSize: Theme.fontSmall
                            }
                        }
                    }
                    Rectangle {
                        visible: unread > 0
                        objectName: "unreadBadge"
                        implicitWidth: Math.max(22, badge.implicitWidth + 10)
                        implicitHeight: 22
                        radius: 11
                        color: Theme.accent
                        Label {
                            id: badge
                            anchors.centerIn: parent
                            text: unread
                            color: Theme.accentText
                            font.pixelSize: Theme.fontSmall
                            font.bold: true
                        }
                    }
                }
            }
            Label {
                visible: list.count === 0
                anchors.centerIn: parent
                width: list.width - 4 * Theme.spacing
                horizontalAlignment: Text.AlignHCenter
                wrapMode: Text.WordWrap
                color: Theme.textMuted
                text: qsTr("No cases yet. When an employee writes to you, the case appears here.")
            }
        }
    }

    Item {
        SplitView.fillWidth: true
        CaseView {
            visible: session.currentCase.active
            anchors.fill: parent
        }
        Label {
            visible: !session.currentCase.active
            anchors.centerIn: parent
            color: Theme.textMuted
            text: qsTr("Choose a case.")
        }
    }
}
