// A month calendar to pick a day from today on; arrow keys move through
// the days, Enter picks. Opens below the button that shows the day.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Confidant

Button {
    id: picker
    objectName: "datePicker"
    property date selectedDate: new Date()
    // The user chose `day`.
    signal picked(date day)
    readonly property date today: { const d = new Date(); d.setHours(0, 0, 0, 0); return d }
    text: selectedDate.toLocaleDateString(Qt.locale(), Locale.LongFormat)
    Accessible.name: qsTr("Day: %1").arg(text)
    onClicked: calendar.open()

    function sameDay(a, b) {
        return a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth()
               && a.getDate() === b.getDate()
    }

    Popup {
        id: calendar
        objectName: "calendarPopup"
        y: picker.height
        modal: true
        focus: true
        property int month: picker.selectedDate.getMonth()
        property int year: picker.selectedDate.getFullYear()
        onOpened: {
            month = picker.selectedDate.getMonth()
            year = picker.selectedDate.getFullYear()
            grid.forceActiveFocus()
        }
        function shift(months) {
            const d = new Date(year, month + months, 1)
            month = d.getMonth()
            year = d.getFullYear()
        }
        ColumnLayout {
            RowLayout {
                Layout.fillWidth: true
                ToolButton {
                    text: "‹"
                    Accessible.name: qsTr("Previous month")
                    onClicked: calendar.shift(-1)
                }
                Label {
                    Layout.fillWidth: true
                    horizontalAlignment: Text.AlignHCenter
                    font.bold: true
                    color: Theme.text
                    text: new Date(calendar.year, calendar.month, 1)
                              .toLocaleDateString(Qt.locale(), "MMMM yyyy")
                }
                ToolButton {
                    text: "›"
                    Accessible.name: qsTr("Next month")
                    onClicked: calendar.shift(1)
                }
            }
            DayOfWeekRow {
                locale: grid.locale
                Layout.fillWidth: true
                delegate: Label {
                    text: shortName
                    horizontalAlignment: Text.AlignHCenter
                    color: Theme.textMuted
                    font.pixelSize: Theme.fontSmall
                }
            }
            MonthGrid {
                id: grid
                objectName: "monthGrid"
                month: calendar.month
                year: calendar.year
                locale: Qt.locale()
                Layout.fillWidth: true
                property date focusDate: picker.selectedDate
                Keys.onPressed: (event) => {
                    const d = new Date(focusDate)
                    if (event.key === Qt.Key_Left) d.setDate(d.getDate() - 1)
                    else if (event.key === Qt.Key_Right) d.setDate(d.getDate() + 1)
                    else if (event.key === Qt.Key_Up) d.setDate(d.getDate() - 7)
                    else if (event.key === Qt.Key_Down) d.setDate(d.getDate() + 7)
                    else if (event.key === Qt.Key_Return || event.key === Qt.Key_Enter) {
                        picker.selectedDate = focusDate
                        picker.picked(focusDate)
                        calendar.close()
                        event.accepted = true
                        return
                    } else return
                    if (d >= picker.today) {
                        focusDate = d
                        calendar.month = d.getMonth()
                        calendar.year = d.getFullYear()
                    }
                    event.accepted = true
                }
                onClicked: (date) => {
                    // MonthGrid's dates are at midnight UTC.
                    const d = new Date(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate())
                    if (d < picker.today) return
                    picker.selectedDate = d
                    picker.picked(d)
                    calendar.close()
                }
                delegate: Rectangle {
                    required property var model
                    readonly property date day: new Date(model.year, model.month, model.day)
                    readonly property bool past: day < picker.today
                    readonly property bool chosen: picker.sameDay(day, picker.selectedDate)
                    readonly property bool focused: grid.activeFocus && picker.sameDay(day, grid.focusDate)
                    implicitWidth: 36
                    implicitHeight: 32
                    radius: 4
                    color: chosen ? Theme.accent : focused ? Theme.accentSoft : "transparent"
                    border.color: focused ? Theme.accent : "transparent"
                    opacity: model.month === grid.month ? 1 : 0.45
                    Label {
                        anchors.centerIn: parent
                        text: model.day
                        color: chosen ? Theme.accentText : past ? Theme.border : Theme.text
                        font.bold: model.today
                    }
                }
            }
        }
    }
}
