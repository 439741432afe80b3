// QR codes for QML: "image://qr/<text>" draws <text> (a safety number's
// digits) as a QR code with libqrencode, dark on white with a quiet zone.
#ifndef CONFIDANT_CLIENT_DESKTOP_SRC_QR_IMAGE_PROVIDER_H_
#define CONFIDANT_CLIENT_DESKTOP_SRC_QR_IMAGE_PROVIDER_H_

#include <QImage>
#include <QQuickImageProvider>
#include <QSize>
#include <QString>

namespace confidant::desktop {

class QrImageProvider : public QQuickImageProvider {
 public:
  QrImageProvider() : QQuickImageProvider(QQuickImageProvider::Image) {}
  QImage requestImage(const QString& id, QSize* size,
                      const QSize& requested) override;
};

// The QR code of `text`, each module `scale` pixels, with a quiet zone of 4
// modules; a null image if it cannot be encoded.
QImage QrImage(const QByteArray& text, int scale);

}  // namespace confidant::desktop

#endif  // CONFIDANT_CLIENT_DESKTOP_SRC_QR_IMAGE_PROVIDER_H_
