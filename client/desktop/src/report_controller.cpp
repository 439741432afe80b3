#include "client/desktop/src/report_controller.h"

#include <QDir>
#include <QGuiApplication>
#include <QLocale>
#include <QStandardPaths>
#include <algorithm>
#include <utility>

#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/civil_time.h"
#include "base/files.h"
#include "base/hex.h"
#include "client/app/invoice.h"
#include "client/app/pdf_document.h"
#include "client/app/report.h"
#include "client/app/report_csv.h"
#include "client/app/report_pdf.h"
#include "client/app/report_text.h"
#include "client/desktop/src/user_text.h"

namespace confidant::desktop {
namespace {

// What the window shows is in the window's language.
client::ReportLanguage UiLanguage() {
  return QLocale().language() == QLocale::Dutch
             ? client::ReportLanguage::kDutch
             : client::ReportLanguage::kEnglish;
}

// "Gemeente Voorbeeld" -> "gemeente-voorbeeld", for a file name.
QString Slug(const std::string& name) {
  QString out;
  for (const QChar c : QString::fromStdString(name).toLower()) {
    if (c.isLetterOrNumber() && c.unicode() < 128) {
      out += c;
    } else if (!out.isEmpty() && !out.endsWith(QLatin1Char('-'))) {
      out += QLatin1Char('-');
    }
  }
  while (out.endsWith(QLatin1Char('-'))) out.chop(1);
  return out;
}

QString ToQ(const std::string& s) { return QString::fromStdString(s); }

}  // namespace

void PreviewPages::Set(std::vector<std::string> pngs) {
  absl::MutexLock lock(&mu_);
  pngs_ = std::move(pngs);
}

QImage PreviewPages::Page(int page) const {
  absl::MutexLock lock(&mu_);
  if (page < 0 || page >= static_cast<int>(pngs_.size())) return QImage();
  const std::string& png = pngs_[static_cast<size_t>(page)];
  return QImage::fromData(reinterpret_cast<const uchar*>(png.data()),
                          static_cast<int>(png.size()), "PNG");
}

QImage PreviewImageProvider::requestImage(const QString& id, QSize* size,
                                          const QSize& requested) {
  const QStringList parts = id.split(QLatin1Char('/'));
  bool ok = false;
  const int page = parts.size() == 2 ? parts[1].toInt(&ok) : -1;
  QImage image = ok ? pages_->Page(page) : QImage();
  if (!image.isNull() && requested.isValid() && requested.width() > 0) {
    image = image.scaledToWidth(requested.width(), Qt::SmoothTransformation);
  }
  if (size != nullptr) *size = image.size();
  return image;
}

ReportController::ReportController(Worker& worker,
                                   std::shared_ptr<PreviewPages> pages,
                                   QObject* parent)
    : QObject(parent), worker_(worker), pages_(std::move(pages)) {}

void ReportController::SetApp(client::App* app) {
  app_ = app;
  have_preview_ = false;
  page_count_ = 0;
  summary_.clear();
  saved_to_.clear();
  suggested_name_.clear();
  error_.clear();
  invoicing_.clear();
  pages_->Set({});
  ++generation_;
  Q_EMIT appChanged();
  Q_EMIT changed();
  Q_EMIT invoicingChanged();
}

QVariantList ReportController::organisations() const {
  QVariantList out;
  if (app_ == nullptr) return out;
  for (const client::Organisation& o : app_->organisations()) {
    out.push_back(
        QVariantMap{{QStringLiteral("id"), ToQ(base::HexEncode(o.id))},
                    {QStringLiteral("name"), ToQ(o.name)}});
  }
  return out;
}

QUrl ReportController::defaultFolder() const {
  QString folder =
      QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
  if (folder.isEmpty() || !QDir(folder).exists()) folder = QDir::homePath();
  return QUrl::fromLocalFile(folder);
}

absl::StatusOr<ReportController::Document> ReportController::Make(
    client::App& app, const Request& r) {
  if (r.year < 2000 || r.year > 9999 || r.quarter < 0 || r.quarter > 4) {
    return absl::InvalidArgumentError("a year from 2000, and quarter 0 to 4");
  }
  const absl::CivilMonth first(r.year, r.quarter == 0 ? 1 : 3 * r.quarter - 2);
  const absl::CivilMonth last =
      r.quarter == 0 ? absl::CivilMonth(r.year, 12) : first + 2;
  const bool nl = r.language == client::ReportLanguage::kDutch;
  const QString period =
      r.quarter == 0 ? QString::number(r.year)
                     : QStringLiteral("%1-%2%3")
                           .arg(r.year)
                           .arg(nl ? QStringLiteral("k") : QStringLiteral("q"))
                           .arg(r.quarter);
  Document d;
  client::PdfPreview preview;
  preview.pixels_per_point = r.preview_scale;
  client::PdfPreview* want_preview = r.draft && !r.csv ? &preview : nullptr;
  if (r.kind == YearlyReport) {
    client::ReportOptions options;
    options.from = absl::CivilDay(first);
    options.to = absl::CivilDay(last + 1) - 1;
    options.language = r.language;
    options.trends = r.trends;
    int left_out = 0;
    absl::StatusOr<client::Report> report =
        app.OrganisationReport(r.organisation, options, &left_out);
    if (!report.ok()) return report.status();
    if (r.csv) {
      d.bytes = client::ReportToCsv(*report);
    } else {
      absl::StatusOr<std::string> pdf =
          client::ReportToPdf(*report, want_preview);
      if (!pdf.ok()) return pdf.status();
      d.bytes = *std::move(pdf);
    }
    d.summary =
        UserText::tr("Cases in this period: %1")
            .arg(ToQ(client::CellText(report->cases, report->k, UiLanguage())));
    if (left_out > 0) {
      d.summary +=
          QStringLiteral(" · ") + UserText::tr(
                                      "%n case file(s) without an organisation "
                                      "left out",
                                      "", left_out);
    }
    d.suggested_name = QStringLiteral("%1-%2-%3")
                           .arg(nl ? QStringLiteral("jaarverslag")
                                   : QStringLiteral("annual-report"))
                           .arg(period)
                           .arg(Slug(report->organisation_name));
  } else {
    client::InvoiceOptions options;
    options.from = first;
    options.to = last;
    options.language = r.language;
    options.invoice_number = r.invoice_number;
    absl::StatusOr<client::Invoice> invoice =
        app.OrganisationInvoice(r.organisation, options, r.draft);
    if (!invoice.ok()) return invoice.status();
    if (r.csv) {
      d.bytes = client::InvoiceToCsv(*invoice);
    } else {
      absl::StatusOr<std::string> pdf =
          client::InvoiceToPdf(*invoice, want_preview);
      if (!pdf.ok()) return pdf.status();
      d.bytes = *std::move(pdf);
    }
    d.invoice_number = invoice->options.invoice_number;
    d.summary =
        UserText::tr("Invoice %1: %n case(s), total %2", "",
                     static_cast<int>(invoice->cases))
            .arg(ToQ(d.invoice_number))
            .arg(ToQ(client::MoneyText(invoice->total_cents, UiLanguage())));
    d.suggested_name =
        QStringLiteral("%1-%2")
            .arg(nl ? QStringLiteral("factuur") : QStringLiteral("invoice"))
            .arg(ToQ(d.invoice_number));
  }
  d.pages_png = std::move(preview.pages_png);
  return d;
}

void ReportController::preview(int kind, const QString& organisation, int year,
                               int quarter, const QString& language,
                               const QString& trends) {
  if (app_ == nullptr || busy_) return;
  Request r;
  r.kind = kind == Invoice ? Invoice : YearlyReport;
  if (!organisation.isEmpty()) {
    std::optional<std::string> id = base::HexDecode(organisation.toStdString());
    if (!id.has_value()) return;
    r.organisation = *id;
  }
  r.year = year;
  r.quarter = quarter;
  r.language = language == QLatin1String("en")
                   ? client::ReportLanguage::kEnglish
                   : client::ReportLanguage::kDutch;
  r.trends = trends.trimmed().toStdString();
  // Sharp on a high-density screen too.
  r.preview_scale = std::clamp(1.5 * qGuiApp->devicePixelRatio(), 1.5, 3.0);
  client::App* app = app_;
  SetBusy(true);
  worker_.Run(
      this, [app, r] { return Make(*app, r); },
      [this, r](absl::StatusOr<Document> d) {
        SetBusy(false);
        if (!d.ok()) {
          SetError(d.status());
          return;
        }
        last_ = r;
        have_preview_ = true;
        error_.clear();
        saved_to_.clear();
        summary_ = d->summary;
        suggested_name_ = d->suggested_name;
        page_count_ = static_cast<int>(d->pages_png.size());
        pages_->Set(std::move(d->pages_png));
        ++generation_;
        Q_EMIT changed();
      });
}

void ReportController::save(const QUrl& file, bool csv) {
  if (app_ == nullptr || busy_ || !have_preview_) return;
  const QString path = file.isLocalFile() ? file.toLocalFile() : file.path();
  if (path.isEmpty()) return;
  Request r = last_;
  r.draft = false;
  r.csv = csv;
  client::App* app = app_;
  const std::string target = path.toStdString();
  SetBusy(true);
  worker_.Run(
      this,
      [app, r, target]() -> absl::StatusOr<Document> {
        absl::StatusOr<Document> d = Make(*app, r);
        if (!d.ok()) return d;
        if (absl::Status s = base::WriteFileAtomically(target, d->bytes);
            !s.ok()) {
          return s;
        }
        return d;
      },
      [this, path](absl::StatusOr<Document> d) {
        SetBusy(false);
        if (!d.ok()) {
          SetError(d.status());
          return;
        }
        // A second save of this preview keeps the invoice's number.
        if (last_.kind == Invoice) last_.invoice_number = d->invoice_number;
        error_.clear();
        saved_to_ = QDir::toNativeSeparators(path);
        Q_EMIT changed();
        Q_EMIT saved();
      });
}

void ReportController::loadInvoicing() {
  if (app_ == nullptr) return;
  absl::StatusOr<client::v1::CaseworkSettings> s = app_->CaseworkSettings();
  if (!s.ok()) {
    SetError(s.status());
    return;
  }
  const client::v1::Invoicing& inv = s->invoicing();
  const QLocale locale;
  invoicing_ = QVariantMap{
      {QStringLiteral("name"), ToQ(inv.name())},
      {QStringLiteral("practice"), ToQ(inv.practice())},
      {QStringLiteral("address"),
       ToQ(absl::StrJoin(inv.address_lines(), "\n"))},
      {QStringLiteral("kvk"), ToQ(inv.kvk_number())},
      {QStringLiteral("vat"), ToQ(inv.vat_number())},
      {QStringLiteral("iban"), ToQ(inv.iban())},
      {QStringLiteral("email"), ToQ(inv.email())},
      {QStringLiteral("rate"),
       inv.hourly_rate_cents() == 0
           ? QString()
           : locale.toString(inv.hourly_rate_cents() / 100.0, 'f', 2)},
      {QStringLiteral("vatPercent"),
       locale.toString(
           (inv.has_vat_basis_points() ? inv.vat_basis_points() : 2100) / 100.0,
           'g', 4)},
      {QStringLiteral("termDays"),
       inv.has_payment_term_days() ? inv.payment_term_days() : 30},
  };
  Q_EMIT invoicingChanged();
}

bool ReportController::saveInvoicing(const QVariantMap& details) {
  if (app_ == nullptr) return false;
  absl::StatusOr<client::v1::CaseworkSettings> s = app_->CaseworkSettings();
  if (!s.ok()) {
    SetError(s.status());
    return false;
  }
  auto text = [&](const char* key) {
    return details.value(QLatin1String(key)).toString().trimmed().toStdString();
  };
  client::v1::Invoicing* inv = s->mutable_invoicing();
  inv->set_name(text("name"));
  inv->set_practice(text("practice"));
  inv->clear_address_lines();
  for (absl::string_view line : absl::StrSplit(text("address"), '\n')) {
    const std::string trimmed =
        QString::fromUtf8(line.data(), static_cast<int>(line.size()))
            .trimmed()
            .toStdString();
    if (!trimmed.empty()) inv->add_address_lines(trimmed);
  }
  inv->set_kvk_number(text("kvk"));
  inv->set_vat_number(text("vat"));
  inv->set_iban(text("iban"));
  inv->set_email(text("email"));
  const std::string rate = text("rate");
  if (rate.empty()) {
    inv->set_hourly_rate_cents(0);
  } else {
    absl::StatusOr<int64_t> cents = client::ParseEuros(rate);
    if (!cents.ok()) {
      SetError(cents.status());
      return false;
    }
    inv->set_hourly_rate_cents(*cents);
  }
  bool ok = false;
  const double vat = QLocale().toDouble(
      details.value(QStringLiteral("vatPercent")).toString().trimmed(), &ok);
  // Also keeps the conversion to basis points in range.
  if (!ok || vat < 0 || vat > 100) {
    SetError(absl::InvalidArgumentError("VAT is 0 to 100 percent"));
    return false;
  }
  inv->set_vat_basis_points(static_cast<int32_t>(vat * 100 + 0.5));
  const int days = details.value(QStringLiteral("termDays")).toInt(&ok);
  if (!ok) {  // the range is the app layer's (CheckInvoicing)
    SetError(absl::InvalidArgumentError("a payment term of 0 to 365 days"));
    return false;
  }
  inv->set_payment_term_days(days);
  if (absl::Status saved = app_->SaveCaseworkSettings(*s); !saved.ok()) {
    SetError(saved);
    return false;
  }
  error_.clear();
  Q_EMIT changed();
  loadInvoicing();
  return true;
}

void ReportController::SetError(const absl::Status& status) {
  error_ = UserText::Error(status);
  Q_EMIT changed();
}

void ReportController::SetBusy(bool busy) {
  busy_ = busy;
  Q_EMIT changed();
}

}  // namespace confidant::desktop
