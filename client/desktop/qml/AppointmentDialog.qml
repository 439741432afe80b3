// Proposing up to three times for a conversation: a day from the calendar
// and a start time each, one length and one way of meeting for all.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Confidant
import Confidant.Core

Dialog {
    id: dialog
    objectName: "appointmentDialog"
    title: qsTr("Propose a time")
    modal: true
    anchors.centerIn: Overlay.overlay
    width: Math.min(parent ? parent.width - 40 : 520, 520)
    property var kase: session.currentCase
    // Start times from 08:00 to 20:00 every quarter of an hour.
    readonly property var times: {
        const out = []
        for (let m = 8 * 60; m <= 20 * 60; m += 15)
            out.push(("0" + Math.floor(m / 60)).slice(-2) + ":" + ("0" + m % 60).slice(-2))
        return out
    }
    footer: DialogButtonBox {
        Button {
            objectName: "appointmentPropose"
            text: qsTr("Propose")
            highlighted: true
            DialogButtonBox.buttonRole: DialogButtonBox.AcceptRole
        }
        Button {
            text: qsTr("Cancel")
            DialogButtonBox.buttonRole: DialogButtonBox.RejectRole
        }
    }

    ListModel { id: slotList }
    function addSlot() {
        const d = new Date()
        d.setDate(d.getDate() + 2 + slotList.count)
        d.setHours(0, 0, 0, 0)
        // Days as milliseconds: a ListModel keeps no Date.
        slotList.append({ day: d.getTime(), time: 8 })  // 10:00
    }
    onAboutToShow: {
        slotList.clear()
        addSlot()
        note.text = ""
        place.text = ""
    }
    onAccepted: {
        const list = []
        for (let i = 0; i < slotList.count; ++i) {
            const s = slotList.get(i)
            const start = new Date(s.day)
            const hm = times[s.time].split(":")
            start.setHours(parseInt(hm[0]), parseInt(hm[1]), 0, 0)
            list.push({ start: start, minutes: minutes.value, mode: mode.currentIndex + 1,
                        place: mode.currentIndex === 2 ? place.text : "" })
        }
        kase.proposeAppointment(list, note.text)
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: 8
        Label {
            Layout.fillWidth: true
            wrapMode: Text.WordWrap
            color: Theme.textMuted
            text: qsTr("The employee picks one of these times, or asks for others.")
        }
        // A positioner around the Repeater (see RegistrationPanel.qml).
        Column {
            Layout.fillWidth: true
            spacing: 6
            Repeater {
            model: slotList
            RowLayout {
                id: slotRow
                objectName: "appointmentSlot"
                width: parent.width
                required property int index
                required property var model
                Label { text: qsTr("Time %1").arg(index + 1); color: Theme.text }
                DatePicker {
                    Layout.fillWidth: true
                    selectedDate: new Date(slotRow.model.day)
                    onPicked: (day) => slotList.setProperty(slotRow.index, "day", day.getTime())
                }
                ComboBox {
                    objectName: "slotTime"
                    model: dialog.times
                    currentIndex: slotRow.model.time
                    implicitWidth: 100
                    Accessible.name: qsTr("Start time")
                    onActivated: (i) => slotList.setProperty(slotRow.index, "time", i)
                }
                ToolButton {
                    visible: slotList.count > 1
                    text: "✕"
                    Accessible.name: qsTr("Remove this time")
                    onClicked: slotList.remove(slotRow.index)
                }
            }
            }
        }
        Button {
            objectName: "addSlotButton"
            visible: slotList.count < 3
            text: qsTr("Add another time")
            onClicked: dialog.addSlot()
        }
        GridLayout {
            columns: 2
            Layout.fillWidth: true
            Label { text: qsTr("Minutes"); color: Theme.text }
            SpinBox {
                id: minutes
                objectName: "slotMinutes"
                from: 15; to: 240; stepSize: 15; value: 45
                Accessible.name: qsTr("Minutes")
            }
            Label { text: qsTr("How"); color: Theme.text }
            ComboBox {
                id: mode
                Layout.fillWidth: true
                Accessible.name: qsTr("How")
                model: [qsTr("Online"), qsTr("By phone"), qsTr("On location")]
            }
            Label { visible: mode.currentIndex === 2; text: qsTr("Where"); color: Theme.text }
            TextField {
                id: place
                visible: mode.currentIndex === 2
                Layout.fillWidth: true
                Accessible.name: qsTr("Where")
            }
        }
        TextField {
            id: note
            Layout.fillWidth: true
            placeholderText: qsTr("A note for the employee (optional)")
            Accessible.name: qsTr("A note for the employee")
        }
    }
}
