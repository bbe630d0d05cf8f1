// A fake `ipmitool` binary (a real child process) that prints given stdout for `-c sdr list full`.
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export function fakeIpmitool(dir: string, stdout: string): string {
  const path = join(dir, 'ipmitool');
  const data = join(dir, 'ipmitool.out');
  writeFileSync(data, stdout);
  writeFileSync(path, `#!/bin/sh\n[ "$*" = "-c sdr list full" ] || { echo "unexpected arguments: $*" >&2; exit 1; }\ncat '${data}'\n`);
  chmodSync(path, 0o755);
  return path;
}

// What upstream ipmi_sdr_print_sensor_fc prints with -c (lib/ipmi_sdr.c): threshold sensors as name,reading,unit,status
// (`%.3f` when fractional), an unreadable threshold sensor as name,,,ns, discrete ones through print_csv_discrete.
export const UPSTREAM_SDR_CSV = [
  'CPU Temp,45,degrees C,ok',
  'System Temp,52.500,degrees C,nc',
  'Inlet Temp,81,degrees C,cr',
  'Exhaust Temp,95,degrees C,nr',
  'DIMM Temp,,,ns',
  'FAN1,4200,RPM,ok',
  'FAN2,300,RPM,cr',
  'FAN3,,,ns',
  '12V,12.192,Volts,ok',
  'PS1 Status,C8h,ok,10.1,Presence detected',
  'PS2 Status,C9h,ns,10.2,No Reading',
  'Chassis Intru,AAh,ok,23.1,',
  '',
].join('\n');
