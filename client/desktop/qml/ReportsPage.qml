// The yearly report and the anonymised invoice per organisation: chosen on
// the left, previewed on the right exactly as the PDF will print, then
// saved as PDF or CSV. Nothing here names an employee.
import QtQuick
import QtQuick.Controls
import QtQuick.Dialogs
import QtQuick.Layouts
import Confidant
import Confidant.Core

SplitView {
    id: page
    objectName: "reportsPage"
    property var reports: session.reports
    readonly property bool invoice: kind.currentIndex === 1
    readonly property int thisYear: new Date().getFullYear()

    function makePreview() {
        reports.preview(kind.currentIndex,
                        organisation.visible ? organisation.currentValue : "",
                        year.value, period.currentIndex,
                        documentLanguage.currentIndex === 0 ? "nl" : "en",
                        invoice ? "" : trends.text)
    }
    function saveAs(csv) {
        saveDialog.csv = csv
        saveDialog.selectedFile = reports.defaultFolder + "/" + reports.suggestedName
                                  + (csv ? ".csv" : ".pdf")
        saveDialog.open()
    }

    ScrollView {
        SplitView.preferredWidth: 340
        SplitView.minimumWidth: 280
        contentWidth: availableWidth
        ColumnLayout {
            width: parent.width
            spacing: 8
            Item { implicitHeight: 4 }
            Label {
                Layout.leftMargin: Theme.spacing
                text: qsTr("Reports and invoices")
                font.pixelSize: Theme.fontHeading
                font.bold: true
                color: Theme.text
            }
            GridLayout {
                Layout.fillWidth: true
                Layout.leftMargin: Theme.spacing
                Layout.rightMargin: Theme.spacing
                columns: 1
                rowSpacing: 4
                Label { text: qsTr("Document"); color: Theme.text }
                ComboBox {
                    id: kind
                    objectName: "documentKind"
                    Layout.fillWidth: true
                    Accessible.name: qsTr("Document")
                    model: [qsTr("Yearly report"), qsTr("Invoice")]
                }
                Label {
                    visible: organisation.visible
                    text: qsTr("Organisation")
                    color: Theme.text
                }
                ComboBox {
                    id: organisation
                    objectName: "reportOrganisation"
                    visible: page.reports.organisations.length > 1
                    Layout.fillWidth: true
                    Accessible.name: qsTr("Organisation")
                    model: page.reports.organisations
                    textRole: "name"
                    valueRole: "id"
                }
                Label { text: qsTr("Year and period"); color: Theme.text }
                RowLayout {
                    Layout.fillWidth: true
                    SpinBox {
                        id: year
                        objectName: "reportYear"
                        Accessible.name: qsTr("Year")
                        from: 2020
                        to: page.thisYear + 1
                        // In the first quarter the report is usually of last year.
                        value: new Date().getMonth() < 3 ? page.thisYear - 1 : page.thisYear
                        editable: true
                        textFromValue: (v) => String(v)
                        valueFromText: (t) => parseInt(t)
                    }
                    ComboBox {
                        id: period
                        objectName: "reportPeriod"
                        Layout.fillWidth: true
                        Accessible.name: qsTr("Period")
                        model: [qsTr("Whole year"), qsTr("1st quarter"), qsTr("2nd quarter"),
                                qsTr("3rd quarter"), qsTr("4th quarter")]
                    }
                }
                Label { text: qsTr("Language of the document"); color: Theme.text }
                ComboBox {
                    id: documentLanguage
                    objectName: "documentLanguage"
                    Layout.fillWidth: true
                    Accessible.name: qsTr("Language of the document")
                    model: ["Nederlands", "English"]
                    currentIndex: language.code === "nl" ? 0 : 1
                }
                Label {
                    visible: !page.invoice
                    text: qsTr("Trends and recommendations (optional)")
                    color: Theme.text
                }
                TextArea {
                    id: trends
                    objectName: "reportTrends"
                    visible: !page.invoice
                    Layout.fillWidth: true
                    Layout.preferredHeight: 110
                    wrapMode: TextEdit.Wrap
                    Accessible.name: qsTr("Trends and recommendations")
                    placeholderText: qsTr("What you noticed this year, without anything that "
                                          + "points to a person.")
                    background: Rectangle { color: Theme.surface; border.color: Theme.border; radius: 4 }
                }
                Label {
                    visible: page.invoice
                    Layout.fillWidth: true
                    wrapMode: Text.WordWrap
                    color: Theme.textMuted
                    font.pixelSize: Theme.fontSmall
                    text: qsTr("The invoice counts cases, conversations and hours only. The next "
                               + "invoice number is used when you save it.")
                }
                Button {
                    objectName: "invoicingButton"
                    visible: page.invoice
                    text: qsTr("Invoicing details…")
                    onClicked: invoicing.open()
                }
                Button {
                    objectName: "previewButton"
                    Layout.topMargin: 6
                    text: qsTr("Preview")
                    highlighted: true
                    enabled: !page.reports.busy
                    onClicked: page.makePreview()
                }
                BusyIndicator {
                    visible: page.reports.busy
                    running: visible
                    Accessible.name: qsTr("Working…")
                }
                Label {
                    objectName: "reportError"
                    visible: page.reports.error !== ""
                    Layout.fillWidth: true
                    wrapMode: Text.WordWrap
                    color: Theme.danger
                    text: page.reports.error
                }
                Label {
                    objectName: "reportSummary"
                    visible: page.reports.pageCount > 0
                    Layout.fillWidth: true
                    wrapMode: Text.WordWrap
                    color: Theme.text
                    text: page.reports.summary
                }
                RowLayout {
                    visible: page.reports.pageCount > 0
                    Button {
                        objectName: "savePdfButton"
                        text: qsTr("Save as PDF…")
                        enabled: !page.reports.busy
                        onClicked: page.saveAs(false)
                    }
                    Button {
                        objectName: "saveCsvButton"
                        text: qsTr("Save as CSV…")
                        enabled: !page.reports.busy
                        onClicked: page.saveAs(true)
                    }
                }
                Label {
                    objectName: "reportSaved"
                    visible: page.reports.savedTo !== ""
                    Layout.fillWidth: true
                    wrapMode: Text.WrapAnywhere
                    color: Theme.ok
                    text: qsTr("Saved: %1").arg(page.reports.savedTo)
                }
            }
        }
    }

    ScrollView {
        id: previewArea
        objectName: "reportPreview"
        SplitView.fillWidth: true
        contentWidth: availableWidth
        Accessible.name: qsTr("Preview")
        background: Rectangle { color: Theme.surfaceAlt }
        Column {
            width: previewArea.availableWidth
            spacing: Theme.spacing
            topPadding: Theme.spacing
            bottomPadding: Theme.spacing
            Repeater {
                model: page.reports.pageCount
                Rectangle {
                    // A sheet of paper, as wide as fits (at most its own size).
                    readonly property real sheet: Math.min(previewArea.availableWidth - 2 * Theme.spacing, 760)
                    anchors.horizontalCenter: parent.horizontalCenter
                    width: sheet
                    height: sheet * 841.89 / 595.276
                    color: "white"
                    border.color: Theme.border
                    Image {
                        objectName: "previewPage"
                        anchors.fill: parent
                        anchors.margins: 1
                        source: "image://preview/" + page.reports.generation + "/" + index
                        fillMode: Image.PreserveAspectFit
                        smooth: true
                        mipmap: true
                        Accessible.name: qsTr("Page %1 of %2").arg(index + 1).arg(page.reports.pageCount)
                    }
                }
            }
        }
        Label {
            visible: page.reports.pageCount === 0
            anchors.centerIn: parent
            width: Math.min(previewArea.width - 4 * Theme.spacing, 420)
            horizontalAlignment: Text.AlignHCenter
            wrapMode: Text.WordWrap
            color: Theme.textMuted
            text: qsTr("Choose a document and press Preview. You see it here exactly as it "
                       + "will be printed.")
        }
    }

    FileDialog {
        id: saveDialog
        objectName: "saveDialog"
        property bool csv: false
        title: csv ? qsTr("Save as CSV") : qsTr("Save as PDF")
        fileMode: FileDialog.SaveFile
        currentFolder: page.reports.defaultFolder
        defaultSuffix: csv ? "csv" : "pdf"
        nameFilters: csv ? [qsTr("CSV files (*.csv)")] : [qsTr("PDF files (*.pdf)")]
        onAccepted: page.reports.save(selectedFile, csv)
    }

    InvoicingDialog { id: invoicing }
}
