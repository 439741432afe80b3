#include "client/app/pdf_document.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace confidant::client {
namespace {

// A4 in points, and the page's frame.
constexpr double kPageWidth = 595.276;
constexpr double kPageHeight = 841.890;
constexpr double kMarginX = 56.7;  // 20 mm
constexpr double kTop = 56.7;      // 20 mm
constexpr double kBottom = 785.2;  // 20 mm above the footer line
constexpr double kFooterY = 805.0;
constexpr double kTextWidth = kPageWidth - 2 * kMarginX;
constexpr double kCellPadX = 5;
constexpr double kCellPadY = 3.5;

constexpr char kFamily[] = "DejaVu Sans";

struct Rgb {
  double r, g, b;
};
constexpr Rgb kInk = {0.10, 0.10, 0.12};
constexpr Rgb kGrey = {0.33, 0.33, 0.36};
constexpr Rgb kAccent = {0.09, 0.27, 0.47};  // dark blue
constexpr Rgb kStripe = {0.94, 0.95, 0.97};
constexpr Rgb kRule = {0.70, 0.72, 0.75};

void SetColour(cairo_t* cr, Rgb c) { cairo_set_source_rgb(cr, c.r, c.g, c.b); }

struct SurfaceDeleter {
  void operator()(cairo_surface_t* s) const { cairo_surface_destroy(s); }
};
struct CairoDeleter {
  void operator()(cairo_t* cr) const { cairo_destroy(cr); }
};
struct GObjectDeleter {
  void operator()(void* object) const { g_object_unref(object); }
};
using LayoutPtr = std::shared_ptr<PangoLayout>;

struct Style {
  double size;
  bool bold;
  Rgb colour;
};
constexpr Style kBody = {10, false, kInk};
constexpr Style kBodyBold = {10, true, kInk};
constexpr Style kSmall = {8.5, false, kGrey};
constexpr Style kHeading = {13, true, kAccent};
constexpr Style kTitleStyle = {20, true, kAccent};

cairo_status_t AppendToString(void* closure, const unsigned char* data,
                              unsigned int length) {
  static_cast<std::string*>(closure)->append(
      reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

}  // namespace

struct PdfDocument::Impl {
  std::string bytes;
  std::unique_ptr<cairo_surface_t, SurfaceDeleter> surface;
  std::unique_ptr<cairo_t, CairoDeleter> cr;
  std::unique_ptr<PangoContext, GObjectDeleter> pango;
  Footer footer;
  // What each page draws, recorded so that the footer can count pages.
  std::vector<std::vector<std::function<void(cairo_t*)>>> pages{{}};
  double y = kTop;
  bool finished = false;

  LayoutPtr Layout(std::string_view text, const Style& style, double width,
                   PangoAlignment align = PANGO_ALIGN_LEFT) {
    LayoutPtr layout(pango_layout_new(pango.get()), g_object_unref);
    PangoFontDescription* font = pango_font_description_new();
    pango_font_description_set_family(font, kFamily);
    pango_font_description_set_size(font,
                                    static_cast<int>(style.size * PANGO_SCALE));
    pango_font_description_set_weight(
        font, style.bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_layout_set_font_description(layout.get(), font);
    pango_font_description_free(font);
    pango_layout_set_width(layout.get(), static_cast<int>(width * PANGO_SCALE));
    pango_layout_set_wrap(layout.get(), PANGO_WRAP_WORD_CHAR);
    pango_layout_set_alignment(layout.get(), align);
    pango_layout_set_text(layout.get(), text.data(),
                          static_cast<int>(text.size()));
    return layout;
  }

  static double Height(const LayoutPtr& layout) {
    int w = 0, h = 0;
    pango_layout_get_size(layout.get(), &w, &h);
    return static_cast<double>(h) / PANGO_SCALE;
  }

  bool PageEmpty() const { return y <= kTop + 0.01; }

  void NewPage() {
    pages.emplace_back();
    y = kTop;
  }

  // Makes room for `height`, on a new page if this one is too full.
  void Ensure(double height) {
    if (y + height > kBottom && !PageEmpty()) NewPage();
  }

  void Draw(std::function<void(cairo_t*)> op) {
    pages.back().push_back(std::move(op));
  }

  void DrawLayout(const LayoutPtr& layout, double x, double top, Rgb colour) {
    Draw([layout, x, top, colour](cairo_t* c) {
      SetColour(c, colour);
      cairo_move_to(c, x, top);
      pango_cairo_show_layout(c, layout.get());
    });
  }

  // A wrapped text block, line by line, so that it can continue on the
  // next page.
  void Flow(std::string_view text, const Style& style, double x, double width) {
    while (!text.empty() && absl::ascii_isspace(text.back())) {
      text.remove_suffix(1);
    }
    LayoutPtr layout = Layout(text, style, width);
    PangoLayoutIter* iter = pango_layout_get_iter(layout.get());
    do {
      PangoRectangle logical;
      pango_layout_iter_get_line_extents(iter, nullptr, &logical);
      const double line_top = static_cast<double>(logical.y) / PANGO_SCALE;
      const double line_height =
          static_cast<double>(logical.height) / PANGO_SCALE;
      const double baseline =
          static_cast<double>(pango_layout_iter_get_baseline(iter)) /
              PANGO_SCALE -
          line_top;
      const bool blank = pango_layout_iter_get_line_readonly(iter)->length == 0;
      // A blank line neither starts a page nor breaks one.
      if (blank && (PageEmpty() || y + line_height > kBottom)) continue;
      Ensure(line_height);
      std::shared_ptr<PangoLayoutLine> line(
          pango_layout_line_ref(pango_layout_iter_get_line_readonly(iter)),
          pango_layout_line_unref);
      const double at = y + baseline;
      const Rgb colour = style.colour;
      Draw([layout, line, x, at, colour](cairo_t* c) {
        SetColour(c, colour);
        cairo_move_to(c, x, at);
        pango_cairo_show_layout_line(c, line.get());
      });
      y += line_height;
    } while (pango_layout_iter_next_line(iter));
    pango_layout_iter_free(iter);
  }

  void Row(const std::vector<Column>& columns,
           const std::vector<std::string>& cells, const Style& style,
           bool stripe, bool rule_below) {
    double total = 0;
    for (const Column& c : columns) total += c.width;
    std::vector<LayoutPtr> layouts;
    double height = 0;
    for (size_t i = 0; i < columns.size(); ++i) {
      const double w = kTextWidth * columns[i].width / total - 2 * kCellPadX;
      layouts.push_back(
          Layout(i < cells.size() ? cells[i] : "", style, w,
                 columns[i].numeric ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT));
      height = std::max(height, Height(layouts.back()));
    }
    height += 2 * kCellPadY;
    const double top = y;
    if (stripe) {
      Draw([top, height](cairo_t* c) {
        SetColour(c, kStripe);
        cairo_rectangle(c, kMarginX, top, kTextWidth, height);
        cairo_fill(c);
      });
    }
    double x = kMarginX;
    for (size_t i = 0; i < columns.size(); ++i) {
      DrawLayout(layouts[i], x + kCellPadX, top + kCellPadY, style.colour);
      x += kTextWidth * columns[i].width / total;
    }
    if (rule_below) {
      Draw([top, height](cairo_t* c) {
        SetColour(c, kRule);
        cairo_set_line_width(c, 0.6);
        cairo_move_to(c, kMarginX, top + height);
        cairo_line_to(c, kMarginX + kTextWidth, top + height);
        cairo_stroke(c);
      });
    }
    y += height;
  }

  double RowHeight(const std::vector<Column>& columns,
                   const std::vector<std::string>& cells, const Style& style) {
    double total = 0;
    for (const Column& c : columns) total += c.width;
    double height = 0;
    for (size_t i = 0; i < columns.size(); ++i) {
      const double w = kTextWidth * columns[i].width / total - 2 * kCellPadX;
      height = std::max(
          height, Height(Layout(i < cells.size() ? cells[i] : "", style, w)));
    }
    return height + 2 * kCellPadY;
  }

  // Page `page` (0-based) of `count` with its footer as a PNG, `scale`
  // pixels per point.
  absl::StatusOr<std::string> RenderPng(size_t page, size_t count,
                                        double scale);

  void RenderFooter(cairo_t* c, size_t page, size_t count) {
    SetColour(c, kRule);
    cairo_set_line_width(c, 0.6);
    cairo_move_to(c, kMarginX, kFooterY - 6);
    cairo_line_to(c, kMarginX + kTextWidth, kFooterY - 6);
    cairo_stroke(c);
    LayoutPtr left = Layout(footer.left, kSmall, kTextWidth * 0.7);
    SetColour(c, kGrey);
    cairo_move_to(c, kMarginX, kFooterY);
    pango_cairo_show_layout(c, left.get());
    LayoutPtr right = Layout(
        absl::StrCat(footer.page, " ", page, " ", footer.page_of, " ", count),
        kSmall, kTextWidth * 0.3, PANGO_ALIGN_RIGHT);
    cairo_move_to(c, kMarginX + kTextWidth * 0.7, kFooterY);
    pango_cairo_show_layout(c, right.get());
  }
};

absl::StatusOr<std::string> PdfDocument::Impl::RenderPng(size_t page,
                                                         size_t count,
                                                         double scale) {
  if (!(scale > 0 && scale <= 8)) {
    return absl::InvalidArgumentError(
        "a preview scale is above 0 and at most 8");
  }
  const int width = static_cast<int>(std::ceil(kPageWidth * scale));
  const int height = static_cast<int>(std::ceil(kPageHeight * scale));
  std::unique_ptr<cairo_surface_t, SurfaceDeleter> image(
      cairo_image_surface_create(CAIRO_FORMAT_RGB24, width, height));
  std::unique_ptr<cairo_t, CairoDeleter> c(cairo_create(image.get()));
  cairo_set_source_rgb(c.get(), 1, 1, 1);
  cairo_paint(c.get());
  cairo_scale(c.get(), scale, scale);
  for (const auto& op : pages[page]) op(c.get());
  RenderFooter(c.get(), page + 1, count);
  cairo_surface_flush(image.get());
  std::string png;
  const cairo_status_t status = cairo_status(c.get()) != CAIRO_STATUS_SUCCESS
                                    ? cairo_status(c.get())
                                    : cairo_surface_write_to_png_stream(
                                          image.get(), AppendToString, &png);
  if (status != CAIRO_STATUS_SUCCESS) {
    return absl::InternalError(absl::StrCat("cairo could not draw a preview: ",
                                            cairo_status_to_string(status)));
  }
  return png;
}

absl::StatusOr<std::unique_ptr<PdfDocument>> PdfDocument::Create(
    std::string title, Footer footer) {
  auto impl = std::make_unique<Impl>();
  impl->footer = std::move(footer);
  impl->surface.reset(cairo_pdf_surface_create_for_stream(
      AppendToString, &impl->bytes, kPageWidth, kPageHeight));
  if (cairo_surface_status(impl->surface.get()) != CAIRO_STATUS_SUCCESS) {
    return absl::InternalError(absl::StrCat(
        "cairo cannot start a PDF: ",
        cairo_status_to_string(cairo_surface_status(impl->surface.get()))));
  }
  cairo_pdf_surface_set_metadata(impl->surface.get(), CAIRO_PDF_METADATA_TITLE,
                                 title.c_str());
  cairo_pdf_surface_set_metadata(impl->surface.get(),
                                 CAIRO_PDF_METADATA_CREATOR, "Confidant");
  impl->cr.reset(cairo_create(impl->surface.get()));
  impl->pango.reset(
      pango_font_map_create_context(pango_cairo_font_map_get_default()));
  // Points are the PDF's user units: 72 per inch.
  pango_cairo_context_set_resolution(impl->pango.get(), 72);
  cairo_font_options_t* options = cairo_font_options_create();
  cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE);
  pango_cairo_context_set_font_options(impl->pango.get(), options);
  cairo_font_options_destroy(options);
  return std::unique_ptr<PdfDocument>(new PdfDocument(std::move(impl)));
}

PdfDocument::PdfDocument(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
PdfDocument::~PdfDocument() = default;

void PdfDocument::Title(std::string_view text) {
  impl_->Flow(text, kTitleStyle, kMarginX, kTextWidth);
  impl_->y += 8;
}

void PdfDocument::Heading(std::string_view text, double keep_with) {
  constexpr double kHeadingHeight = 14 + 18 + 4;
  impl_->Ensure(kHeadingHeight + std::min(std::max(keep_with, 3 * 14.0),
                                          kBottom - kTop - kHeadingHeight));
  if (!impl_->PageEmpty()) impl_->y += 14;
  impl_->Flow(text, kHeading, kMarginX, kTextWidth);
  impl_->y += 4;
}

void PdfDocument::Paragraph(std::string_view text) {
  impl_->Flow(text, kBody, kMarginX, kTextWidth);
  impl_->y += 5;
}

void PdfDocument::Note(std::string_view text) {
  impl_->Flow(text, kSmall, kMarginX, kTextWidth);
  impl_->y += 4;
}

void PdfDocument::Pairs(
    const std::vector<std::pair<std::string, std::string>>& pairs,
    double label_width) {
  const std::vector<Column> columns = {{"", label_width, false},
                                       {"", 1 - label_width, false}};
  for (size_t i = 0; i < pairs.size(); ++i) {
    const std::vector<std::string> cells = {pairs[i].first, pairs[i].second};
    impl_->Ensure(impl_->RowHeight(columns, cells, kBody));
    impl_->Row(columns, cells, kBody, i % 2 == 0, false);
  }
  impl_->y += 4;
}

void PdfDocument::Table(const std::vector<Column>& columns,
                        const std::vector<std::vector<std::string>>& rows,
                        bool bold_last) {
  std::vector<std::string> header;
  for (const Column& c : columns) header.push_back(c.header);
  const double header_height = impl_->RowHeight(columns, header, kBodyBold);
  // The header and the first row together.
  impl_->Ensure(header_height +
                (rows.empty() ? 0 : impl_->RowHeight(columns, rows[0], kBody)));
  impl_->Row(columns, header, kBodyBold, false, true);
  for (size_t i = 0; i < rows.size(); ++i) {
    const bool last = i + 1 == rows.size();
    const Style& style = bold_last && last ? kBodyBold : kBody;
    const double h = impl_->RowHeight(columns, rows[i], style);
    if (impl_->y + h > kBottom) {
      impl_->NewPage();
      impl_->Row(columns, header, kBodyBold, false, true);
    }
    impl_->Row(columns, rows[i], style, i % 2 == 1,
               bold_last && i + 2 == rows.size());
  }
  impl_->y += 6;
}

void PdfDocument::BarChart(const std::vector<Bar>& bars) {
  constexpr double kLabelWidth = kTextWidth * 0.36;
  constexpr double kValueWidth = 42;
  constexpr double kBarArea = kTextWidth - kLabelWidth - kValueWidth - 12;
  constexpr double kBarHeight = 11;
  // A hidden count is a short hatched mark of one fixed length, off the
  // scale: drawn to the scale (at k, say) it would read as a count near
  // the largest bar when that is near k.
  constexpr double kHiddenLength = 22;
  double max = 1.0;
  for (const Bar& b : bars) {
    if (b.value) max = std::max(max, *b.value);
  }
  for (const Bar& b : bars) {
    LayoutPtr label =
        impl_->Layout(b.label, kBody, kLabelWidth - 6, PANGO_ALIGN_RIGHT);
    const double row = std::max(kBarHeight + 6, Impl::Height(label) + 4);
    impl_->Ensure(row);
    const double top = impl_->y;
    impl_->DrawLayout(label, kMarginX, top + 2, kInk);
    const double x = kMarginX + kLabelWidth + 4;
    const double bar_top = top + (row - kBarHeight) / 2;
    const double length = b.value ? kBarArea * *b.value / max : kHiddenLength;
    const bool hidden = !b.value;
    impl_->Draw([x, bar_top, length, hidden](cairo_t* c) {
      cairo_rectangle(c, x, bar_top, std::max(length, 0.8), kBarHeight);
      if (!hidden) {
        SetColour(c, kAccent);
        cairo_fill(c);
        return;
      }
      // Hatched and outlined: a hidden count, of no particular length.
      cairo_save(c);
      cairo_clip_preserve(c);
      SetColour(c, kGrey);
      cairo_set_line_width(c, 0.8);
      cairo_stroke_preserve(c);
      cairo_new_path(c);
      for (double hx = x - kBarHeight; hx < x + length; hx += 4) {
        cairo_move_to(c, hx, bar_top + kBarHeight);
        cairo_line_to(c, hx + kBarHeight, bar_top);
      }
      cairo_stroke(c);
      cairo_restore(c);
    });
    LayoutPtr value = impl_->Layout(b.value_text, kBodyBold, kValueWidth);
    // Beside the bar's middle, also when the label takes two lines.
    impl_->DrawLayout(value, x + length + 5,
                      bar_top + (kBarHeight - Impl::Height(value)) / 2,
                      hidden ? kGrey : kInk);
    impl_->y += row;
  }
  impl_->y += 6;
}

double PdfDocument::TableHeight(
    const std::vector<Column>& columns,
    const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::string> header;
  for (const Column& c : columns) header.push_back(c.header);
  double height = impl_->RowHeight(columns, header, kBodyBold) + 6;
  for (const auto& row : rows) {
    height += impl_->RowHeight(columns, row, kBodyBold);
  }
  return height;
}

double PdfDocument::NoteHeight(std::string_view text) {
  return Impl::Height(impl_->Layout(text, kSmall, kTextWidth)) + 4;
}

void PdfDocument::Space(double points) { impl_->y += points; }

void PdfDocument::PageBreak() {
  if (!impl_->PageEmpty()) impl_->NewPage();
}

absl::StatusOr<std::string> PdfDocument::Finish(PdfPreview* preview) {
  if (impl_->finished) {
    return absl::FailedPreconditionError("the PDF is already finished");
  }
  impl_->finished = true;
  cairo_t* cr = impl_->cr.get();
  const size_t count = impl_->pages.size();
  for (size_t i = 0; i < count; ++i) {
    for (const auto& op : impl_->pages[i]) op(cr);
    impl_->RenderFooter(cr, i + 1, count);
    cairo_show_page(cr);
  }
  if (preview != nullptr) {
    preview->pages_png.clear();
    for (size_t i = 0; i < count; ++i) {
      absl::StatusOr<std::string> png =
          impl_->RenderPng(i, count, preview->pixels_per_point);
      if (!png.ok()) return png.status();
      preview->pages_png.push_back(*std::move(png));
    }
  }
  impl_->pages.clear();
  const cairo_status_t status = cairo_status(cr);
  impl_->cr.reset();
  cairo_surface_finish(impl_->surface.get());
  const cairo_status_t surface_status =
      cairo_surface_status(impl_->surface.get());
  impl_->surface.reset();
  if (status != CAIRO_STATUS_SUCCESS ||
      surface_status != CAIRO_STATUS_SUCCESS) {
    return absl::InternalError(absl::StrCat(
        "cairo could not write the PDF: ",
        cairo_status_to_string(
            status != CAIRO_STATUS_SUCCESS ? status : surface_status)));
  }
  return std::move(impl_->bytes);
}

}  // namespace confidant::client
