#include "client/desktop/src/qr_image_provider.h"

#include <qrencode.h>

#include <QPainter>
#include <QUrl>
#include <algorithm>
#include <memory>

namespace confidant::desktop {

QImage QrImage(const QByteArray& text, int scale) {
  std::unique_ptr<QRcode, decltype(&QRcode_free)> code(
      QRcode_encodeString8bit(text.constData(), 0, QR_ECLEVEL_M), &QRcode_free);
  if (code == nullptr) return QImage();
  constexpr int kQuiet = 4;
  const int modules = code->width + 2 * kQuiet;
  QImage image(modules * scale, modules * scale, QImage::Format_RGB32);
  image.fill(Qt::white);
  QPainter painter(&image);
  painter.setPen(Qt::NoPen);
  painter.setBrush(Qt::black);
  for (int y = 0; y < code->width; ++y) {
    for (int x = 0; x < code->width; ++x) {
      if (code->data[y * code->width + x] & 1) {
        painter.drawRect((x + kQuiet) * scale, (y + kQuiet) * scale, scale,
                         scale);
      }
    }
  }
  return image;
}

QImage QrImageProvider::requestImage(const QString& id, QSize* size,
                                     const QSize& requested) {
  const QByteArray text = QUrl::fromPercentEncoding(id.toUtf8()).toUtf8();
  const int wanted = std::max(requested.width(), requested.height());
  QImage image = QrImage(text, 1);
  if (!image.isNull() && wanted > image.width()) {
    image = QrImage(text, std::max(1, wanted / image.width()));
  }
  if (size != nullptr) *size = image.size();
  return image;
}

}  // namespace confidant::desktop
