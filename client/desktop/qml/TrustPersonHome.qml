// The trust person's app: the cases inbox, what is due, and the reports,
// each a tab (Ctrl+1, Ctrl+2, Ctrl+3).
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Confidant
import Confidant.Core

Page {
    id: home
    objectName: "trustPersonHome"
    background: Rectangle { color: Theme.background }

    function showCases() { tabs.currentIndex = 0 }

    header: Rectangle {
        implicitHeight: tabs.implicitHeight + 1
        color: Theme.surface
        Rectangle { anchors.bottom: parent.bottom; width: parent.width; height: 1; color: Theme.border }
        TabBar {
            id: tabs
            objectName: "trustPersonTabs"
            Accessible.name: qsTr("Sections")
            background: null
            SectionTab {
                objectName: "casesTab"
                text: session.cases.unreadTotal > 0
                      ? qsTr("Cases (%1 unread)").arg(session.cases.unreadTotal)
                      : qsTr("Cases")
            }
            SectionTab {
                objectName: "dueTab"
                text: session.due.urgent > 0
                      ? qsTr("Deadlines (%1 today or late)").arg(session.due.urgent)
                      : qsTr("Deadlines")
            }
            SectionTab {
                objectName: "reportsTab"
                text: qsTr("Reports and invoices")
            }
        }
    }

    Shortcut { sequence: "Ctrl+1"; onActivated: tabs.currentIndex = 0 }
    Shortcut { sequence: "Ctrl+2"; onActivated: tabs.currentIndex = 1 }
    Shortcut { sequence: "Ctrl+3"; onActivated: tabs.currentIndex = 2 }

    Binding {
        target: session.due
        property: "active"
        value: tabs.currentIndex === 1
    }

    StackLayout {
        anchors.fill: parent
        currentIndex: tabs.currentIndex
        InboxPage { }
        DuePage { onOpenCase: (caseId) => { session.openCase(caseId); home.showCases() } }
        ReportsPage { }
    }
}
