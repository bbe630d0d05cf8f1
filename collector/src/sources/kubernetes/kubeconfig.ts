// Where the source's credentials come from: an explicit kubeconfig file, else client-node's default order
// (KUBECONFIG, ~/.kube/config, the in-cluster service account), optionally switched to a named context.
import { existsSync } from 'node:fs';
import { KubeConfig } from '@kubernetes/client-node';

export interface KubeConfigSettings {
  /** Path of a kubeconfig file; empty for the default order. */
  kubeconfig: string;
  /** Context to use instead of the file's current-context; empty for the current one. */
  context: string;
}

/** A loaded KubeConfig, or an Error whose message names the config key that is wrong. */
export function loadKubeConfig(settings: KubeConfigSettings): KubeConfig {
  const kc = new KubeConfig();
  if (settings.kubeconfig) {
    if (!existsSync(settings.kubeconfig)) throw new Error(`sources.kubernetes.kubeconfig: no such file: ${settings.kubeconfig}`);
    try {
      kc.loadFromFile(settings.kubeconfig);
    } catch (err) {
      throw new Error(`sources.kubernetes.kubeconfig: cannot read ${settings.kubeconfig}: ${(err as Error).message}`);
    }
  } else {
    try {
      kc.loadFromDefault();
    } catch (err) {
      throw new Error(`sources.kubernetes: no usable kubeconfig (KUBECONFIG, ~/.kube/config, service account): ${(err as Error).message}`);
    }
  }
  if (settings.context) {
    if (!kc.getContextObject(settings.context)) throw new Error(`sources.kubernetes.context: no context named "${settings.context}"`);
    kc.setCurrentContext(settings.context);
  }
  if (!kc.getCurrentCluster()) throw new Error('sources.kubernetes.kubeconfig: the current context names no cluster');
  return kc;
}
