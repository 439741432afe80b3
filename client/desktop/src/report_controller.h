// The trust person's yearly report and anonymised invoice per organisation
// (client/app/report.h, invoice.h): made off the window's thread, shown as
// page images drawn by the PDF's own code (PdfPreview), and saved as PDF or
// CSV where the user chooses. A preview of an invoice shows the number it
// will get without using it up; the first save of that preview uses it,
// and a second save (the CSV after the PDF) keeps it.
#ifndef CONFIDANT_CLIENT_DESKTOP_SRC_REPORT_CONTROLLER_H_
#define CONFIDANT_CLIENT_DESKTOP_SRC_REPORT_CONTROLLER_H_

#include <QImage>
#include <QObject>
#include <QQuickImageProvider>
#include <QString>
#include <QUrl>
#include <QVariantList>
#include <QVariantMap>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "client/app/app.h"
#include "client/desktop/src/worker.h"

namespace confidant::desktop {

// The preview's page images, shared with the image provider (which QML
// may call from its own thread).
class PreviewPages {
 public:
  void Set(std::vector<std::string> pngs) ABSL_LOCKS_EXCLUDED(mu_);
  // A null image when `page` is out of range.
  QImage Page(int page) const ABSL_LOCKS_EXCLUDED(mu_);

 private:
  mutable absl::Mutex mu_;
  std::vector<std::string> pngs_ ABSL_GUARDED_BY(mu_);
};

// "image://preview/<generation>/<page>": the generation only makes QML
// load a new preview's images.
class PreviewImageProvider : public QQuickImageProvider {
 public:
  explicit PreviewImageProvider(std::shared_ptr<const PreviewPages> pages)
      : QQuickImageProvider(QQuickImageProvider::Image),
        pages_(std::move(pages)) {}
  QImage requestImage(const QString& id, QSize* size,
                      const QSize& requested) override;

 private:
  std::shared_ptr<const PreviewPages> pages_;
};

class ReportController : public QObject {
  Q_OBJECT
  // {id, name} of each organisation served.
  Q_PROPERTY(QVariantList organisations READ organisations NOTIFY appChanged)
  Q_PROPERTY(bool busy READ busy NOTIFY changed)
  Q_PROPERTY(QString error READ error NOTIFY changed)
  Q_PROPERTY(int pageCount READ pageCount NOTIFY changed)
  Q_PROPERTY(int generation READ generation NOTIFY changed)
  // What the document holds, in words (cases, total).
  Q_PROPERTY(QString summary READ summary NOTIFY changed)
  Q_PROPERTY(QString savedTo READ savedTo NOTIFY changed)
  Q_PROPERTY(QString suggestedName READ suggestedName NOTIFY changed)
  Q_PROPERTY(QUrl defaultFolder READ defaultFolder CONSTANT)
  // The invoicing details as {name, practice, address (lines), kvk, vat,
  // iban, email, rate ("95,00"), vatPercent, termDays}.
  Q_PROPERTY(QVariantMap invoicing READ invoicing NOTIFY invoicingChanged)

 public:
  enum Kind { YearlyReport, Invoice };
  Q_ENUM(Kind)

  ReportController(Worker& worker, std::shared_ptr<PreviewPages> pages,
                   QObject* parent = nullptr);

  void SetApp(client::App* app);

  QVariantList organisations() const;
  bool busy() const { return busy_; }
  QString error() const { return error_; }
  int pageCount() const { return page_count_; }
  int generation() const { return generation_; }
  QString summary() const { return summary_; }
  QString savedTo() const { return saved_to_; }
  QString suggestedName() const { return suggested_name_; }
  QUrl defaultFolder() const;
  QVariantMap invoicing() const { return invoicing_; }

  // Makes the document for the organisation (id in hex, or "" for the only
  // one) over a year, or one quarter of it (1..4; 0 the whole year), in
  // "nl" or "en"; `trends` goes into a report.
  Q_INVOKABLE void preview(int kind, const QString& organisation, int year,
                           int quarter, const QString& language,
                           const QString& trends);
  // Saves what was last previewed: as PDF, or as CSV.
  Q_INVOKABLE void save(const QUrl& file, bool csv);
  // Reads and saves the invoicing details; false with `error` set when a
  // field is refused.
  Q_INVOKABLE void loadInvoicing();
  Q_INVOKABLE bool saveInvoicing(const QVariantMap& details);

  // What preview() and save() ask of the app layer.
  struct Request {
    Kind kind = YearlyReport;
    std::string organisation;  // 16 bytes, or empty
    int year = 0;
    int quarter = 0;
    client::ReportLanguage language = client::ReportLanguage::kDutch;
    std::string trends;
    std::string invoice_number;  // empty: the next, drafted or used up
    bool draft = true;
    bool csv = false;
    double preview_scale = 1.5;  // pixels per point of the page images
  };
  struct Document {
    std::string bytes;  // PDF or CSV
    std::vector<std::string> pages_png;
    QString summary;
    QString suggested_name;  // without extension
    std::string invoice_number;
  };
  // Off the window's thread.
  static absl::StatusOr<Document> Make(client::App& app, const Request& r);

 Q_SIGNALS:
  void changed();
  void appChanged();
  void invoicingChanged();
  void saved();

 private:
  void SetError(const absl::Status& status);
  void SetBusy(bool busy);

  Worker& worker_;
  std::shared_ptr<PreviewPages> pages_;
  client::App* app_ = nullptr;
  bool busy_ = false;
  QString error_;
  int page_count_ = 0;
  int generation_ = 0;
  QString summary_;
  QString saved_to_;
  QString suggested_name_;
  QVariantMap invoicing_;
  bool have_preview_ = false;
  Request last_;
};

}  // namespace confidant::desktop

#endif  // CONFIDANT_CLIENT_DESKTOP_SRC_REPORT_CONTROLLER_H_
