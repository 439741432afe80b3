// A flowing, printable A4 document for the report and the invoice: blocks
// placed top to bottom, a new page when the next one does not fit (a long
// paragraph or table continues on the next page), and a footer with "page n
// of m" on every page. Written with cairo and laid out with pango (UTF-8,
// line breaking, DejaVu Sans through fontconfig); neither appears in this
// header. Plain text only: nothing given is read as markup.
// Thread-compatible; each document belongs to one thread at a time.
#ifndef CONFIDANT_CLIENT_APP_PDF_DOCUMENT_H_
#define CONFIDANT_CLIENT_APP_PDF_DOCUMENT_H_

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace confidant::client {

// Page images of a document, for showing it before it is saved.
struct PdfPreview {
  double pixels_per_point = 1.5;  // 1.5: an A4 page of 893 x 1263 pixels
  std::vector<std::string> pages_png;
};

class PdfDocument {
 public:
  struct Footer {
    std::string left;     // e.g. the organisation and period
    std::string page;     // "Pagina" / "Page"
    std::string page_of;  // "van" / "of"
  };
  struct Column {
    std::string header;
    double width = 1;      // relative to the other columns
    bool numeric = false;  // right-aligned
  };
  struct Bar {
    std::string label;
    std::string value_text;  // written after the bar
    // nullopt: a hidden count, drawn hatched with the length of
    // `hidden_length` whatever its value.
    std::optional<double> value;
  };

  // INTERNAL if cairo cannot start a document.
  static absl::StatusOr<std::unique_ptr<PdfDocument>> Create(std::string title,
                                                             Footer footer);
  ~PdfDocument();
  PdfDocument(const PdfDocument&) = delete;
  PdfDocument& operator=(const PdfDocument&) = delete;

  void Title(std::string_view text);
  // Kept on one page with the next `keep_with` points (at least three
  // lines; at most what a page holds).
  void Heading(std::string_view text, double keep_with = 0);
  // Wrapped to the text width; continues on the next page when needed.
  // Line breaks in `text` start new lines; blank lines separate paragraphs.
  void Paragraph(std::string_view text);
  void Note(std::string_view text);  // smaller and grey
  // Label/value pairs in two columns, without a header.
  void Pairs(const std::vector<std::pair<std::string, std::string>>& pairs,
             double label_width = 0.45);
  // A table with a header row (repeated on a new page) and zebra stripes;
  // `bold_last` sets the last row in bold (a total).
  void Table(const std::vector<Column>& columns,
             const std::vector<std::vector<std::string>>& rows,
             bool bold_last = false);
  // Horizontal bars scaled to the largest shown value; a hidden one is a
  // short hatched mark of one fixed length, off the scale.
  void BarChart(const std::vector<Bar>& bars);
  // The height Table() or Note() would take, for keeping blocks together.
  double TableHeight(const std::vector<Column>& columns,
                     const std::vector<std::vector<std::string>>& rows);
  double NoteHeight(std::string_view text);
  void Space(double points);
  // Starts a new page unless the current one is still empty.
  void PageBreak();

  // Renders every page with its footer; the PDF's bytes. INTERNAL on a
  // cairo error. Call once. With `preview`, each page is also drawn by the
  // same code into a PNG of `preview->pixels_per_point` (white background),
  // so what a preview shows is what the PDF holds.
  absl::StatusOr<std::string> Finish(PdfPreview* preview = nullptr);

 private:
  struct Impl;
  explicit PdfDocument(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace confidant::client

#endif  // CONFIDANT_CLIENT_APP_PDF_DOCUMENT_H_
