// Package usbtest mounts a fresh FAT or exFAT file system, the usual USB
// stick, for tests of what is written to one.
package usbtest

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Mount makes an image of kind ("vfat" or "exfat") in a temporary
// directory, mounts it, and returns the mount point; it is unmounted when
// the test ends. The kernel's own driver is tried first (as root, through
// a loop device), then the FUSE one (fusefat, exfat-fuse). If none can
// mount here the test is skipped, saying what is missing: CI installs
// dosfstools, exfatprogs, fusefat and exfat-fuse and runs as root.
func Mount(t testing.TB, kind string) string {
	t.Helper()
	mkfs := map[string]string{"vfat": "mkfs.vfat", "exfat": "mkfs.exfat"}[kind]
	fuse := map[string][]string{"vfat": {"fusefat", "-o", "rw+"}, "exfat": {"mount.exfat-fuse"}}[kind]
	if mkfs == "" {
		t.Fatalf("usbtest: unknown kind %q", kind)
	}
	if _, err := exec.LookPath(mkfs); err != nil {
		t.Skipf("%s is not installed (dosfstools, exfatprogs): cannot make a %s image", mkfs, kind)
	}
	dir := t.TempDir()
	img, mnt := filepath.Join(dir, kind+".img"), filepath.Join(dir, "mnt")
	if err := os.Mkdir(mnt, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(img, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(img, 64<<20); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(mkfs, img).CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", mkfs, err, out)
	}
	var tried []string
	if os.Geteuid() == 0 {
		out, err := exec.Command("mount", "-t", kind, "-o", "loop,uid=0,gid=0,umask=077", img, mnt).CombinedOutput()
		if err == nil {
			t.Cleanup(func() { exec.Command("umount", mnt).Run() })
			return mnt
		}
		tried = append(tried, "mount -t "+kind+": "+strings.TrimSpace(string(out)))
	} else {
		tried = append(tried, "the kernel's driver needs root")
	}
	// exfat-fuse run as root wants a block device: a loop device, which
	// needs no file system driver in the kernel.
	dev, detach := img, func() {}
	if kind == "exfat" && os.Geteuid() == 0 {
		if out, err := exec.Command("losetup", "-f", "--show", img).Output(); err == nil {
			dev = strings.TrimSpace(string(out))
			detach = func() { exec.Command("losetup", "-d", dev).Run() }
		}
	}
	if _, err := exec.LookPath(fuse[0]); err != nil {
		tried = append(tried, fuse[0]+" is not installed")
	} else if out, err := exec.Command(fuse[0], append(fuse[1:], dev, mnt)...).CombinedOutput(); err != nil {
		tried = append(tried, fuse[0]+": "+strings.TrimSpace(string(out)))
	} else {
		t.Cleanup(func() {
			if exec.Command("fusermount", "-u", mnt).Run() != nil {
				exec.Command("umount", mnt).Run()
			}
			detach()
		})
		return mnt
	}
	detach()
	t.Skipf("cannot mount a %s image here (%s)", kind, strings.Join(tried, "; "))
	return ""
}
