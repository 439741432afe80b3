// The report as a printable A4 PDF in its language: title with the
// organisation, period and trust person; the key figures; a bar chart of
// the subjects (hidden counts hatched, all of one length); the tables; the
// trends text; a legend of the markers; page numbers.
#ifndef CONFIDANT_CLIENT_APP_REPORT_PDF_H_
#define CONFIDANT_CLIENT_APP_REPORT_PDF_H_

#include <string>

#include "absl/status/statusor.h"
#include "client/app/pdf_document.h"
#include "client/app/report.h"

namespace confidant::client {

// The PDF's bytes; INTERNAL if cairo fails. `preview`: the pages as images
// too (pdf_document.h).
absl::StatusOr<std::string> ReportToPdf(const Report& report,
                                        PdfPreview* preview = nullptr);

}  // namespace confidant::client

#endif  // CONFIDANT_CLIENT_APP_REPORT_PDF_H_
