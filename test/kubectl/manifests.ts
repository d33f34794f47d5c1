/**
 * Pasted manifests for the console's `kubectl apply -f -` tests (issue 7): realistic multi-document
 * YAML as players copy it from a repository (comments, labels, probes, env, resources). Not a test file.
 */

/** One Deployment + Service pair named `name` (about 1.4 KB). */
export function webApp(name: string, replicas = 2, image = 'nginx:1.27'): string {
  return `# ${name}: the front end (copied from the team's deploy repository)
apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  labels:
    app: ${name}
    app.kubernetes.io/part-of: shop
  annotations:
    team.example.com/owner: "platform"
spec:
  replicas: ${replicas}
  revisionHistoryLimit: 10
  selector:
    matchLabels:
      app: ${name}
  template:
    metadata:
      labels:
        app: ${name}
    spec:
      containers:
        - name: ${name}
          image: ${image}
          ports:
            - containerPort: 80
              name: http
          env:
            - name: LOG_LEVEL
              value: info
            - name: UPSTREAM_TIMEOUT_MS
              value: "2000"
          resources:
            requests:
              cpu: 100m
              memory: 128Mi
            limits:
              cpu: 500m
              memory: 256Mi
          readinessProbe:
            httpGet:
              path: /healthz
              port: 80
            periodSeconds: 5
          livenessProbe:
            httpGet:
              path: /healthz
              port: 80
            initialDelaySeconds: 10
            periodSeconds: 10
---
apiVersion: v1
kind: Service
metadata:
  name: ${name}
  labels:
    app: ${name}
spec:
  type: ClusterIP
  selector:
    app: ${name}
  ports:
    - name: http
      port: 80
      targetPort: 80
`;
}

/** `n` app pairs as one stream (n = 8 is about 11 KB, 16 documents). */
export function manifestOf(n: number): string {
  return Array.from({ length: n }, (_, i) => webApp(`web-${i}`)).join('---\n');
}
