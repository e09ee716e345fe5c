# Run by `lava-server manage shell` inside the LAVA server container, at build and at every start:
# creates what the test server needs if it is missing, changes nothing that is already there.
# A line `TOKEN = "..."` may be prepended: that API token is then given to the user "admin".
import os

from django.contrib.auth.models import User
from lava_scheduler_app.models import Device, DeviceType, Worker
from linaro_django_xmlrpc.models import AuthToken

worker, _ = Worker.objects.get_or_create(hostname="lava-worker", defaults={"description": "local qemu worker"})
token_file = "/var/lib/lava/dispatcher/worker/token"
os.makedirs(os.path.dirname(token_file), exist_ok=True)
if not os.path.exists(token_file) or open(token_file).read().strip() != worker.token:
    with open(os.open(token_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as f:
        f.write(worker.token)
    print("worker token written: restart lava-worker")

qemu, _ = DeviceType.objects.get_or_create(name="qemu")
for name in ("qemu-01", "qemu-02"):
    device, _ = Device.objects.get_or_create(hostname=name, defaults={"device_type": qemu, "worker_host": worker})
    if device.health in (Device.HEALTH_UNKNOWN, Device.HEALTH_MAINTENANCE, Device.HEALTH_BAD):
        device.health = Device.HEALTH_GOOD
        device.save()

admin = User.objects.filter(username="admin").first() or User.objects.create_superuser("admin", "admin@localhost", None)
if "TOKEN" in globals() and not AuthToken.objects.filter(secret=TOKEN).exists():
    AuthToken.objects.create(user=admin, secret=TOKEN, description="nspawn-runner tests")
print("workers:", [(w.hostname, w.get_state_display()) for w in Worker.objects.all()])
print("devices:", [(d.hostname, d.get_state_display(), d.get_health_display()) for d in Device.objects.all()])
