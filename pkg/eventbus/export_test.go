package eventbus

// SetAfterPublish installs the hook that runs between XADD and marking rows
// published (a crash there, in tests).
func (r *Relay) SetAfterPublish(f func() error) { r.afterPublish = f }
