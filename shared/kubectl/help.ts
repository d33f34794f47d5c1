/** The console's `help` text: every command the game's kubectl/etcdctl understands. */
export const KUBECTL_HELP = `Gameday console: a subset of kubectl and etcdctl against your team's simulated cluster.
("kubectl" in front is optional; -n/--namespace NS works everywhere, default "default".)

Inspect:
  kubectl get pods|nodes|deployments|rs|svc|endpoints|hpa|jobs|cronjobs|pdb [NAME] [-o wide|name|json|yaml] [-l k=v] [-A] [--show-labels]
  kubectl get TYPE -o jsonpath='{.items[*].metadata.name}'   (also {range .items[*]}...{end}, [?(@.f=="v")])
  kubectl get TYPE -o custom-columns=NAME:.metadata.name,RESTARTS:.status.containerStatuses[0].restartCount
  kubectl get TYPE --sort-by=.metadata.creationTimestamp
  kubectl get jobs,cronjobs            (several types at once)
  kubectl api-resources [--namespaced=true|false]
  kubectl explain pods.spec.containers   (any served kind, any field path)
  kubectl get TYPE -w                  (the console follows it: changed rows only; Esc or Ctrl+C stops)
  kubectl get events [--for pod/NAME]
  kubectl get all
  kubectl describe pod|node|deployment|svc|hpa NAME   (a name matching nothing exactly: every object with that prefix)
  kubectl describe rs|sts|ds|job|cronjob|rc|endpointslice|ns NAME
  kubectl get pdb|resourcequota|limitrange|hpa [NAME]  /  kubectl describe pdb|quota|limits NAME
  kubectl top pods|nodes
  kubectl logs POD|deployment/NAME [-c CONTAINER] [-p|--previous] [--tail=N] [--since=5m] [--timestamps]
  kubectl rollout status deployment/NAME
  kubectl exec POD|deployment/NAME [-c CONTAINER] -- env | printenv [NAME] | cat /etc/resolv.conf | hostname
  kubectl exec POD -- nslookup NAME          (cluster DNS: the Service's ClusterIP, or a timeout while CoreDNS is down)
  kubectl exec POD -- curl -s -o /dev/null -w '%{http_code} %{time_total}\n' http://SVC[.NS][:PORT]/PATH
  kubectl rollout history deployment|statefulset|daemonset/NAME [--revision=N]
  etcdctl member list                 (needs quorum)
  etcdctl endpoint health | endpoint status
  etcdctl snapshot save FILE

Change (each action takes simulated time and shows in the events):
  kubectl delete pod NAME [--grace-period=N (seconds, up to 3600) | --now | --force --grace-period=0]
  kubectl scale deployment/NAME --replicas=N
  kubectl rollout undo deployment|statefulset|daemonset/NAME [--to-revision=N]
  kubectl rollout restart deployment/NAME
  kubectl rollout pause|resume deployment/NAME
  kubectl set env deployment/NAME [-c CONTAINER] KEY=VALUE... [KEY-]
  kubectl set image deployment/NAME CONTAINER=IMAGE
  kubectl set resources deployment/NAME [-c CONTAINER] --limits=memory=512Mi,cpu=500m [--requests=...]
  kubectl cordon|uncordon NODE
  kubectl drain NODE [--ignore-daemonsets --delete-emptydir-data]
  kubectl label|annotate pod|node|deployment|service NAME KEY=VALUE... [KEY-] [--overwrite]
  kubectl taint nodes NODE KEY[=VALUE]:NoSchedule|PreferNoSchedule|NoExecute [KEY:EFFECT-] [--overwrite]
  kubectl delete deployment NAME [--cascade=background|foreground|orphan]
  kubectl delete svc|hpa|pdb|quota|limits|job|cronjob|sts|ds|rs NAME [--cascade=background|foreground|orphan]
                                       (background: its Pods go Terminating; orphan: they run on without an owner)
  kubectl apply -f -                   (also -f FILE, create -f -): opens the editor; paste YAML (several documents
                                       with ---) for Deployments, Services, HPAs, PDBs, ResourceQuotas; new LimitRanges, Jobs,
                                       CronJobs, StatefulSets, DaemonSets; a pasted
                                       heredoc (kubectl apply -f - <<EOF ... EOF) runs at once
  kubectl edit deployment|svc|hpa|pdb|quota|pod|node NAME   opens the object's YAML in the editor; save applies the changed fields
  kubectl patch pdb NAME --type merge -p '{"spec":{"minAvailable":2}}'
  kubectl patch resourcequota NAME --type merge -p '{"spec":{"hard":{"requests.cpu":"4"}}}'
  kubectl autoscale deployment NAME --max=N [--min=M] [--cpu-percent=P]
  kubectl patch hpa NAME -p '{"spec":{"maxReplicas":N}}'
  etcdctl snapshot restore FILE --name MEMBER [--data-dir DIR]   (or etcdutl snapshot restore ...)
      rebuilds a stopped member's data dir from the snapshot and restarts its static Pod
  ssh NODE sudo systemctl reboot                             (operator: reboots the machine; NotReady, back in 60-120 s, containers restarted)
  gameday-ops node replace NODE                              (game operator command: drain, delete the Node, a new machine joins its zone ~3 min later)
  ssh NODE sudo journalctl -u kubelet [-n N]                 (the kubelet's journal; also: sudo systemctl status|restart kubelet)
  ssh NODE sudo openssl x509 -noout -enddate -in /var/lib/kubelet/pki/kubelet-client-current.pem
  kubeadm kubeconfig user --org system:nodes --client-name system:node:NODE   (new kubelet client certificate: installed, kubelet restarted)
  kubeadm certs check-expiration                             (the control-plane certificates kubeadm manages)
  kubeadm certs renew NAME|all                               (a new control-plane certificate, valid one year: kubeadm certs renew apiserver)
  ssh NODE sudo systemctl status|restart containerd          (the node's container runtime)
  etcdctl member remove ID                                   (needs quorum; ID from member list)
  etcdctl member add NAME --peer-urls=https://IP:2380        (replaces a failed member: remove it first)

Console keys: Up/Down command history; Esc or Ctrl+C stops a followed get -w.
In the apply/edit editor: Ctrl+Enter (Cmd+Enter) applies or saves, Esc cancels, Tab indents two spaces.

Aliases: po=pods, no=nodes, deploy=deployments, rs=replicasets, svc=services, ep=endpoints, ev=events.
Both TYPE/NAME and TYPE NAME work.`;
