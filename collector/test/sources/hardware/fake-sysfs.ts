// A hwmon tree laid out as the kernel does (Documentation/hwmon/sysfs-interface.rst): the chip's directory lives
// under its device in /sys/devices, /sys/class/hwmon/hwmonN is a symlink to it, and hwmonN/device links back to
// the device. Attribute files hold what the kernel prints: millidegrees, rpm, 0/1 alarms.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

export interface FakeChip {
  /** Device path below /sys/devices, e.g. `platform/coretemp.0`. */
  device: string;
  name: string;
  /** Attribute files: name → content; a `null` content makes a file that cannot be read (a directory). */
  files: Record<string, string | null>;
}

export class FakeSysfs {
  readonly root = mkdtempSync(join(tmpdir(), 'hmx-sysfs-'));
  readonly classDir = join(this.root, 'sys/class/hwmon');

  constructor() {
    mkdirSync(this.classDir, { recursive: true });
  }

  add(hwmon: string, chip: FakeChip): void {
    const deviceDir = join(this.root, 'sys/devices', chip.device);
    const chipDir = join(deviceDir, 'hwmon', hwmon);
    mkdirSync(chipDir, { recursive: true });
    symlinkSync(relative(chipDir, deviceDir), join(chipDir, 'device'));
    writeFileSync(join(chipDir, 'name'), `${chip.name}\n`);
    for (const [file, content] of Object.entries(chip.files)) {
      if (content === null) mkdirSync(join(chipDir, file));
      else writeFileSync(join(chipDir, file), `${content}\n`);
    }
    symlinkSync(relative(this.classDir, chipDir), join(this.classDir, hwmon));
  }

  /** The chip goes away (driver unloaded, device unplugged): its class link and its directory. */
  remove(hwmon: string, device: string): void {
    rmSync(join(this.classDir, hwmon));
    rmSync(join(this.root, 'sys/devices', device), { recursive: true });
  }

  dispose(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

export const coretemp: FakeChip = {
  device: 'platform/coretemp.0',
  name: 'coretemp',
  files: {
    temp1_input: '45000',
    temp1_label: 'Package id 0',
    temp1_crit: '100000',
    temp1_max: '80000',
    temp1_crit_alarm: '0',
    temp2_input: '101000',
    temp2_label: 'Core 0',
    temp2_crit: '100000',
    temp2_crit_alarm: '1',
  },
};
// nct6775 Super-I/O: a stopped fan under its minimum with no alarm file, an unlabelled fan, an unreadable input.
export const nct6775: FakeChip = {
  device: 'platform/nct6775.656',
  name: 'nct6775',
  files: { fan1_input: '0', fan1_min: '500', fan1_label: 'CPU fan', fan2_input: '820', temp1_input: null, temp2_input: 'garbage' },
};
export const nvme: FakeChip = {
  device: 'pci0000:00/0000:00:1d.0/0000:3d:00.0/nvme/nvme0',
  name: 'nvme',
  files: { temp1_input: '38850', temp1_label: 'Composite', temp1_max: '81850', temp1_min: '-273150', temp1_crit: '84850' },
};
export const amdgpu: FakeChip = {
  device: 'pci0000:00/0000:00:03.1/0000:0a:00.0',
  name: 'amdgpu',
  files: { temp1_input: '97000', temp1_label: 'edge', temp1_crit: '94000', fan1_input: '2100', fan1_min: '0', fan1_max: '3300' },
};
