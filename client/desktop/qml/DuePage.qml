// Every deadline across the cases, soonest first: what is due, for which
// case, the last day and how far away it is. A row opens its case.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Confidant
import Confidant.Core

Item {
    id: page
    objectName: "duePage"
    signal openCase(string caseId)

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: Theme.spacing
        spacing: Theme.spacing

        Label {
            text: qsTr("Deadlines")
            font.pixelSize: Theme.fontHeading
            font.bold: true
            color: Theme.text
        }
        Label {
            Layout.fillWidth: true
            wrapMode: Text.WordWrap
            color: Theme.textMuted
            text: qsTr("Whistleblower reports must be acknowledged within 7 days and answered "
                       + "within 3 months (Wet bescherming klokkenluiders). Closed cases are "
                       + "purged when their retention period ends.")
        }

        ListView {
            id: list
            objectName: "dueList"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            model: session.due
            keyNavigationEnabled: true
            activeFocusOnTab: true
            spacing: 4
            Accessible.name: qsTr("Deadlines")
            Keys.onReturnPressed: if (currentItem) page.openCase(currentItem.rowCaseId)
            Keys.onEnterPressed: if (currentItem) page.openCase(currentItem.rowCaseId)
            delegate: ListDelegate {
                readonly property string rowCaseId: caseId
                objectName: "dueItem"
                width: list.width
                Accessible.name: qsTr("Case %1: %2, %3, %4").arg(number).arg(what).arg(day).arg(when)
                onClicked: page.openCase(caseId)
                background: Rectangle {
                    color: parent.hovered ? Theme.surfaceAlt : Theme.surface
                    border.color: parent.keyboardCurrent ? Theme.accent : Theme.border
                    border.width: parent.keyboardCurrent ? 2 : 1
                    radius: 4
                }
                contentItem: RowLayout {
                    spacing: Theme.spacing
                    Label {
                        text: number
                        font.bold: true
                        color: Theme.text
                        Layout.preferredWidth: 90
                    }
                    ColumnLayout {
                        Layout.fillWidth: true
                        spacing: 2
                        Label {
                            text: what
                            color: Theme.text
                            elide: Text.ElideRight
                            Layout.fillWidth: true
                        }
                        Label {
                            text: day
                            color: Theme.textMuted
                            font.pixelSize: Theme.fontSmall
                        }
                    }
                    Rectangle {
                        objectName: "dueWhen"
                        implicitWidth: whenText.implicitWidth + 16
                        implicitHeight: whenText.implicitHeight + 6
                        radius: 4
                        color: urgency >= 2 ? Theme.dangerSoft
                             : urgency === 1 ? Theme.warningSoft : Theme.surfaceAlt
                        Label {
                            id: whenText
                            anchors.centerIn: parent
                            text: when
                            color: urgency >= 2 ? Theme.danger
                                 : urgency === 1 ? Theme.warning : Theme.text
                            font.pixelSize: Theme.fontSmall
                            font.bold: urgency >= 2
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
                text: qsTr("Nothing is due. Deadlines of whistleblower reports and of purging "
                           + "closed cases appear here.")
            }
        }
    }
}
