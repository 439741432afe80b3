// The safety number: 60 digits and a QR code to compare with the other
// person, and the way to accept a new one.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Confidant
import Confidant.Core

Dialog {
    id: dialog
    objectName: "safetyNumberDialog"
    property var kase: session.currentCase
    title: qsTr("Safety number")
    modal: true
    anchors.centerIn: Overlay.overlay
    width: Math.min(parent ? parent.width - 40 : 520, 520)
    footer: DialogButtonBox {
        Button {
            objectName: "closeSafetyNumber"
            text: qsTr("Close")
            DialogButtonBox.buttonRole: DialogButtonBox.RejectRole
        }
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: Theme.spacing
        Label {
            Layout.fillWidth: true
            wrapMode: Text.WordWrap
            color: Theme.text
            text: dialog.kase.safetyNumber === ""
                  ? qsTr("The safety number appears once your first message has left.")
                  : qsTr("Compare these numbers with the other person, in person or by "
                         + "phone. If they are the same, nobody is in between.")
        }
        Label {
            objectName: "safetyDigits"
            visible: dialog.kase.safetyNumber !== ""
            Layout.alignment: Qt.AlignHCenter
            horizontalAlignment: Text.AlignHCenter
            font.family: "DejaVu Sans Mono"
            font.pixelSize: Theme.fontHeading
            color: Theme.text
            wrapMode: Text.WordWrap
            Layout.fillWidth: true
            text: {
                const groups = dialog.kase.safetyNumber.split(" ")
                let lines = []
                for (let i = 0; i < groups.length; i += 4)
                    lines.push(groups.slice(i, i + 4).join("  "))
                return lines.join("\n")
            }
        }
        Image {
            visible: dialog.kase.safetyNumber !== ""
            Layout.alignment: Qt.AlignHCenter
            source: dialog.kase.safetyNumber !== ""
                    ? "image://qr/" + encodeURIComponent(dialog.kase.safetyNumber.replace(/ /g, ""))
                    : ""
            sourceSize.width: 180
            sourceSize.height: 180
            fillMode: Image.PreserveAspectFit
            Accessible.name: qsTr("QR code of the safety number")
        }
        Label {
            visible: dialog.kase.safetyVerified && !dialog.kase.safetyChanged
            text: qsTr("You verified this number.")
            color: Theme.ok
        }
        Button {
            objectName: "acceptSafetyNumber"
            visible: dialog.kase.safetyNumber !== "" && (dialog.kase.safetyChanged || !dialog.kase.safetyVerified)
            Layout.fillWidth: true
            text: dialog.kase.safetyChanged
                  ? qsTr("The numbers are the same: accept the new number")
                  : qsTr("The numbers are the same: mark as verified")
            onClicked: if (dialog.kase.verifySafetyNumber(dialog.kase.safetyNumber)) dialog.close()
        }
    }
}
