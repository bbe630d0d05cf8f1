// Host paths the way node_exporter's --path.procfs / --path.sysfs / --path.rootfs take them: a collector in a
// container reads its host's pseudo-filesystems and mounts through bind mounts (e.g. /host/proc, /host/sys,
// /host/root), while the series keep the host's own names (a mountpoint stays "/", not "/host/root").

/** `path` (absolute on the host) as seen below `root` ("/" = this machine's own). */
export function underRoot(root: string, path: string): string {
  const base = root.replace(/\/+$/, '');
  return `${base}/${path.replace(/^\/+/, '')}`;
}
