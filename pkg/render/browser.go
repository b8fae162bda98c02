package render

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"os/exec"
	"sync"
	"time"

	"github.com/chromedp/chromedp"
)

// Browser prints HTML to PDF and SVG to PNG with headless Chromium, the
// one renderer tried that joins Arabic letters and lays out right-to-left
// lines correctly. One browser process is started on first use and shared;
// each document gets its own tab.
type Browser struct {
	path    string
	timeout time.Duration

	mu     sync.Mutex
	alloc  context.Context
	cancel context.CancelFunc
	root   context.Context // the first tab; keeps the browser alive
}

// ErrNoBrowser means no Chromium executable was found.
var ErrNoBrowser = errors.New("no chromium executable found (install it with tools/dev/chromium.sh)")

// NewBrowser returns a browser running the executable at path; an empty
// path looks up chromium, chromium-browser and google-chrome on PATH.
// Nothing starts until the first document.
func NewBrowser(path string, timeout time.Duration) (*Browser, error) {
	if path == "" {
		for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
			if p, err := exec.LookPath(name); err == nil {
				path = p
				break
			}
		}
	}
	if path == "" {
		return nil, ErrNoBrowser
	}
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	return &Browser{path: path, timeout: timeout}, nil
}

// OptionalBrowser is NewBrowser for a service that runs without Chromium:
// when none is installed it logs what then answers FAILED_PRECONDITION
// (without, e.g. "card downloads") and returns nil. A browser it returns is
// handed to onClose (the service's closers) to be stopped with the service.
func OptionalBrowser(path string, timeout time.Duration, log *slog.Logger, onClose func(func() error), without string) (*Browser, error) {
	b, err := NewBrowser(path, timeout)
	switch {
	case errors.Is(err, ErrNoBrowser):
		log.Warn("no Chromium: " + without + " answer FAILED_PRECONDITION (tools/dev/chromium.sh installs it)")
		return nil, nil
	case err != nil:
		return nil, err
	}
	onClose(func() error { b.Close(); return nil })
	return b, nil
}

// Close stops the browser process.
func (b *Browser) Close() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.cancel != nil {
		b.cancel()
		b.cancel, b.alloc, b.root = nil, nil, nil
	}
}

// tab opens a new tab of the (started on demand) browser.
func (b *Browser) tab(ctx context.Context) (context.Context, context.CancelFunc, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.alloc == nil {
		opts := append([]chromedp.ExecAllocatorOption{}, chromedp.DefaultExecAllocatorOptions[:]...)
		opts = append(opts, chromedp.ExecPath(b.path),
			// The service runs as a non-privileged container user or as root
			// in development; Chromium's sandbox needs namespaces neither has.
			chromedp.NoSandbox, chromedp.Flag("disable-gpu", true), chromedp.Flag("disable-dev-shm-usage", true),
			chromedp.Flag("font-render-hinting", "none"))
		alloc, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
		root, _ := chromedp.NewContext(alloc)
		if err := chromedp.Do(root); err != nil { // starts the browser
			cancel()
			return nil, nil, fmt.Errorf("start chromium: %w", err)
		}
		b.alloc, b.cancel, b.root = alloc, cancel, root
	}
	tctx, cancelTab := chromedp.NewContext(b.root)
	// The request's deadline and cancellation apply to the tab.
	tctx, cancelTimeout := context.WithTimeout(tctx, b.timeout)
	stop := context.AfterFunc(ctx, cancelTimeout)
	return tctx, func() { stop(); cancelTimeout(); cancelTab() }, nil
}

func dataURL(mime string, body []byte) string {
	return "data:" + mime + ";base64," + base64.StdEncoding.EncodeToString(body)
}

// PDF prints an HTML page on A4 with its backgrounds.
func (b *Browser) PDF(ctx context.Context, html []byte) ([]byte, error) {
	tctx, done, err := b.tab(ctx)
	if err != nil {
		return nil, err
	}
	defer done()
	if err := chromedp.Do(tctx, chromedp.Navigate(dataURL("text/html;charset=utf-8", html)), waitFonts()); err != nil {
		return nil, fmt.Errorf("pdf: load: %w", err)
	}
	pdf, err := chromedp.Run(tctx, chromedp.PrintToPDF(chromedp.PDFPaper(chromedp.PaperA4), chromedp.PDFPrintBackground(), chromedp.PDFPreferCSSPageSize()))
	if err != nil {
		return nil, fmt.Errorf("pdf: print: %w", err)
	}
	return pdf, nil
}

// PNG draws an SVG image at twice its size (sharp on dense screens).
func (b *Browser) PNG(ctx context.Context, svg []byte) ([]byte, error) {
	tctx, done, err := b.tab(ctx)
	if err != nil {
		return nil, err
	}
	defer done()
	page := []byte(`<!DOCTYPE html><html><head><meta charset="utf-8"><style>body{margin:0}</style></head><body><div id="chart" style="display:inline-block">` +
		string(svg) + `</div></body></html>`)
	if err := chromedp.Do(tctx, chromedp.Navigate(dataURL("text/html;charset=utf-8", page)), waitFonts()); err != nil {
		return nil, fmt.Errorf("png: load: %w", err)
	}
	png, err := chromedp.Run(tctx, chromedp.ScreenshotScale(chromedp.ID("chart"), 2))
	if err != nil {
		return nil, fmt.Errorf("png: %w", err)
	}
	return png, nil
}

// waitFonts waits until the page's fonts are loaded, so the first
// rendering does not fall back to a font without Arabic.
func waitFonts() chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		_, err := chromedp.Evaluate[bool]("document.fonts.ready.then(() => true)", chromedp.EvalAwaitPromise)(ctx, t)
		return chromedp.Void{}, err
	}
}
