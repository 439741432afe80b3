// CSV export of the report (docs/report.md, "CSV layout"), and the RFC 4180
// writing the invoice shares. UTF-8, CRLF line ends, no byte order mark.
#ifndef CONFIDANT_CLIENT_APP_REPORT_CSV_H_
#define CONFIDANT_CLIENT_APP_REPORT_CSV_H_

#include <initializer_list>
#include <string>
#include <string_view>

#include "client/app/report.h"

namespace confidant::client {

// Appends one record to `out`: fields joined by commas, ended by CRLF; a
// field holding a comma, a double quote, CR or LF is quoted, its quotes
// doubled (RFC 4180).
void AppendCsvRecord(std::string& out,
                     std::initializer_list<std::string_view> fields);

// The report as CSV with the header `section,key,label,value`. A
// suppressed count reads "<k" or ">=k"; a figure not published has an empty
// value.
std::string ReportToCsv(const Report& report);

}  // namespace confidant::client

#endif  // CONFIDANT_CLIENT_APP_REPORT_CSV_H_
