// The trust person's own details for the anonymised invoice: who sends it,
// where to pay, the rate. Kept in the profile, never sent to the relay.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Confidant
import Confidant.Core

Dialog {
    id: dialog
    objectName: "invoicingDialog"
    title: qsTr("Invoicing details")
    modal: true
    anchors.centerIn: Overlay.overlay
    width: Math.min(parent ? parent.width - 40 : 560, 560)
    height: Math.min(parent ? parent.height - 40 : 640, 640)
    property var reports: session.reports

    footer: DialogButtonBox {
        Button {
            objectName: "invoicingSave"
            text: qsTr("Save")
            highlighted: true
            // Closes only when every field is accepted.
            onClicked: {
                if (dialog.reports.saveInvoicing({
                        name: name.text, practice: practice.text, address: address.text,
                        kvk: kvk.text, vat: vat.text, iban: iban.text, email: email.text,
                        rate: rate.text, vatPercent: vatPercent.text, termDays: term.value }))
                    dialog.close()
            }
        }
        Button {
            text: qsTr("Cancel")
            DialogButtonBox.buttonRole: DialogButtonBox.RejectRole
        }
    }
    onOpened: {
        reports.loadInvoicing()
        const d = reports.invoicing
        name.text = d.name || ""
        practice.text = d.practice || ""
        address.text = d.address || ""
        kvk.text = d.kvk || ""
        vat.text = d.vat || ""
        iban.text = d.iban || ""
        email.text = d.email || ""
        rate.text = d.rate || ""
        vatPercent.text = d.vatPercent || "21"
        term.value = d.termDays !== undefined ? d.termDays : 30
    }

    component FieldLabel: Label { color: Theme.text; Layout.fillWidth: true; wrapMode: Text.WordWrap }

    ScrollView {
        anchors.fill: parent
        contentWidth: availableWidth
        ColumnLayout {
            width: parent.width
            spacing: 4
            FieldLabel { text: qsTr("Your name") }
            TextField { id: name; objectName: "invoicingName"; Layout.fillWidth: true; Accessible.name: qsTr("Your name") }
            FieldLabel { text: qsTr("Practice (optional)") }
            TextField { id: practice; Layout.fillWidth: true; Accessible.name: qsTr("Practice") }
            FieldLabel { text: qsTr("Address (one line each)") }
            TextArea {
                id: address
                objectName: "invoicingAddress"
                Layout.fillWidth: true
                Layout.preferredHeight: 70
                Accessible.name: qsTr("Address")
                background: Rectangle { color: Theme.surface; border.color: Theme.border; radius: 4 }
            }
            FieldLabel { text: qsTr("KvK number") }
            TextField { id: kvk; objectName: "invoicingKvk"; Layout.fillWidth: true; Accessible.name: qsTr("KvK number"); placeholderText: "12345678" }
            FieldLabel { text: qsTr("VAT number") }
            TextField { id: vat; objectName: "invoicingVat"; Layout.fillWidth: true; Accessible.name: qsTr("VAT number"); placeholderText: "NL123456789B01" }
            FieldLabel { text: qsTr("IBAN") }
            TextField { id: iban; objectName: "invoicingIban"; Layout.fillWidth: true; Accessible.name: qsTr("IBAN"); placeholderText: "NL91 ABNA 0417 1643 00" }
            FieldLabel { text: qsTr("E-mail address (optional)") }
            TextField { id: email; Layout.fillWidth: true; Accessible.name: qsTr("E-mail address") }
            GridLayout {
                columns: 2
                Layout.fillWidth: true
                FieldLabel { text: qsTr("Hourly rate in euros") }
                TextField { id: rate; objectName: "invoicingRate"; Accessible.name: qsTr("Hourly rate in euros"); placeholderText: "95,00" }
                FieldLabel { text: qsTr("VAT (%)") }
                TextField { id: vatPercent; Accessible.name: qsTr("VAT percentage") }
                FieldLabel { text: qsTr("Payment term (days)") }
                SpinBox { id: term; from: 0; to: 365; editable: true; Accessible.name: qsTr("Payment term in days") }
            }
            Label {
                objectName: "invoicingError"
                visible: dialog.reports.error !== ""
                Layout.fillWidth: true
                wrapMode: Text.WordWrap
                color: Theme.danger
                text: dialog.reports.error
            }
        }
    }
}
