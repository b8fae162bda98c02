// Package rendertest reads back what pkg/render printed, the way a person
// with a phone or a reader of the document would: a PDF's QR code decoded
// from the rasterised page.
package rendertest

import (
	"image"
	_ "image/png" // pdftoppm writes PNG
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"
)

// ReadQR rasterises the first page of pdf with pdftoppm and returns the
// text of the QR code on it. It tries 150 dpi, then 300 dpi, and fails
// the test when neither decodes; a code read only at 300 dpi is logged.
func ReadQR(t testing.TB, pdf []byte) string {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, "doc.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	var errs []error
	for _, dpi := range []int{150, 300} {
		page := filepath.Join(dir, "page-"+strconv.Itoa(dpi))
		if out, err := exec.Command("pdftoppm", "-png", "-r", strconv.Itoa(dpi), "-singlefile", "-f", "1", "-l", "1", path, page).CombinedOutput(); err != nil {
			t.Fatalf("pdftoppm: %v %s", err, out)
		}
		text, err := decode(page + ".png")
		if err == nil {
			if len(errs) > 0 {
				t.Logf("QR code read at %d dpi only (%v)", dpi, errs)
			}
			return text
		}
		errs = append(errs, err)
	}
	t.Fatalf("no QR code read from the printed page: %v", errs)
	return ""
}

func decode(png string) (string, error) {
	f, err := os.Open(png) // #nosec G304 -- a file this helper wrote
	if err != nil {
		return "", err
	}
	defer f.Close()
	img, _, err := image.Decode(f)
	if err != nil {
		return "", err
	}
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		return "", err
	}
	res, err := qrcode.NewQRCodeReader().Decode(bmp, map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_TRY_HARDER: true})
	if err != nil {
		return "", err
	}
	return res.GetText(), nil
}
