/* usbemu: emulated USB devices for the driver tests, on umockdev.
 *
 * A umockdev testbed holds the devices' sysfs entries and device nodes; a
 * handler object per device node answers the usbdevfs ioctls libusb issues
 * (URB submit/reap/discard, claim/release, capabilities, kernel driver
 * query/detach/attach), so the drivers' real libusb code runs against
 * them. The program must run under umockdev-wrapper (LD_PRELOAD), and
 * usbemu_new() must come before libusb_init(). The handlers run on
 * umockdev's own thread; every device has a mutex.
 *
 * Devices:
 *   scanner (boot keyboard): interface 0 class 3/1/1, interrupt IN 0x81,
 *     8-byte reports pushed with usbemu_report(); optionally bound to a
 *     "usbhid" kernel driver (claim is BUSY until it is detached).
 *   report-protocol scanner: the same interface, but it starts in report
 *     protocol as HID devices do after reset and sends the boot reports
 *     pushed to it with a report id in front (or, NKRO, as the id, the
 *     modifiers and a bitmap of usages) until the host sends
 *     SET_PROTOCOL(boot); interrupt IN of 64 bytes.
 *   POS scanner: interface 0 class 3/0/0, interrupt IN 0x81 (64 bytes),
 *     the given HID report descriptor.
 *   printer: interface 0 class 7/1/2, bulk OUT 0x01 (bytes collected,
 *     usbemu_out()), bulk IN 0x82 (answers queued with usbemu_in(), or by
 *     an answer function), GET_DEVICE_ID and GET_PORT_STATUS. */
#ifndef CM_TESTS_USBEMU_H
#define CM_TESTS_USBEMU_H

#include <stddef.h>
#include <stdint.h>

struct usbemu;
struct usbemu_dev;

/* Creates the testbed; NULL when not under umockdev-wrapper. */
struct usbemu *usbemu_new(void);
void usbemu_free(struct usbemu *e);

struct usbemu_dev *usbemu_add_scanner(struct usbemu *e, uint16_t vid, uint16_t pid,
                                      int kernel_bound);
struct usbemu_dev *usbemu_add_report_scanner(struct usbemu *e, uint16_t vid, uint16_t pid,
                                             int report_id, int nkro);
struct usbemu_dev *usbemu_add_pos_scanner(struct usbemu *e, uint16_t vid, uint16_t pid,
                                          const uint8_t *report_desc, size_t len);
struct usbemu_dev *usbemu_add_printer(struct usbemu *e, uint16_t vid, uint16_t pid,
                                      const char *device_id);

/* Queues an interrupt IN report (up to 64 bytes). */
void usbemu_report(struct usbemu_dev *d, const uint8_t *report, size_t len);
/* Queues the press/release reports that type text on a US keyboard,
 * followed by Enter when enter is set. */
void usbemu_type(struct usbemu_dev *d, const char *text, int enter);
/* Reports queued but not yet read by the driver. */
size_t usbemu_reports_left(struct usbemu_dev *d);

/* Printer: bytes written to bulk OUT so far (copied into buf, up to cap;
 * returns the total), bytes to answer on bulk IN, and an answer function
 * called (under the device mutex) for every OUT write, which may queue IN
 * bytes with usbemu_in_locked(). */
size_t usbemu_out(struct usbemu_dev *d, uint8_t *buf, size_t cap);
void usbemu_in(struct usbemu_dev *d, const uint8_t *bytes, size_t len);
void usbemu_in_locked(struct usbemu_dev *d, const uint8_t *bytes, size_t len);
typedef void usbemu_answer_fn(void *arg, struct usbemu_dev *d,
                              const uint8_t *out, size_t len);
void usbemu_set_answer(struct usbemu_dev *d, usbemu_answer_fn *fn, void *arg);
void usbemu_set_port_status(struct usbemu_dev *d, uint8_t status);

/* Unplugs the device: reads in flight fail with ENODEV and the device
 * leaves the testbed (a "remove" uevent). usbemu_replug() brings it back
 * at a new address, as a real bus does, with a fresh device state. */
void usbemu_unplug(struct usbemu_dev *d);
void usbemu_replug(struct usbemu_dev *d);

/* State seen by the device. */
int usbemu_claimed(struct usbemu_dev *d);
int usbemu_kernel_bound(struct usbemu_dev *d);
int usbemu_address(struct usbemu_dev *d);
/* A keyboard's protocol now (0 boot, 1 report) and how many
 * SET_PROTOCOL requests it had (when set_requests is not NULL). */
int usbemu_protocol(struct usbemu_dev *d, int *set_requests);
/* From now on the keyboard answers SET_PROTOCOL with a stall, as boot-only
 * devices without the request do. */
void usbemu_stall_set_protocol(struct usbemu_dev *d);

#endif
