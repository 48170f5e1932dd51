{{- define "sweepcluster.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "sweepcluster.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "sweepcluster.selector" -}}
app.kubernetes.io/name: {{ .root.Chart.Name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "sweepcluster.image" -}}
{{ printf "%s:%s" .Values.image.repository .Values.image.tag | quote }}
{{- end -}}

{{- define "sweepcluster.tokenSecret" -}}
{{- default (printf "%s-tokens" (include "sweepcluster.fullname" .)) .Values.tokens.existingSecret -}}
{{- end -}}

{{- /* The Secret and key holding the store URL. */ -}}
{{- define "sweepcluster.storeSecret" -}}
{{- if .Values.postgresql.bundled -}}
{{- printf "%s-postgresql" (include "sweepcluster.fullname" .) -}}
{{- else -}}
{{- default (printf "%s-store" (include "sweepcluster.fullname" .)) .Values.postgresql.externalUrlSecret -}}
{{- end -}}
{{- end -}}

{{- /* A value kept from the live Secret on upgrade, else the given one, else random. */ -}}
{{- define "sweepcluster.keep" -}}
{{- $existing := lookup "v1" "Secret" .namespace .secret -}}
{{- if and $existing (index $existing.data .key) -}}
{{- index $existing.data .key | b64dec -}}
{{- else if .value -}}
{{- .value -}}
{{- else -}}
{{- randAlphaNum 40 -}}
{{- end -}}
{{- end -}}

{{- define "sweepcluster.otlpEnv" -}}
{{- if .Values.otlp.endpoint }}
- name: OTEL_EXPORTER_OTLP_ENDPOINT
  value: {{ .Values.otlp.endpoint | quote }}
- name: OTEL_EXPORTER_OTLP_PROTOCOL
  value: {{ .Values.otlp.protocol | quote }}
{{- end }}
{{- end -}}

{{- /* Orleans' service id: keys the grain state. The CLI has no option for it; it must stay the CLI's default
       (SweepClusterSiloBuilderExtensions.DefaultServiceId), which a test checks. */ -}}
{{- define "sweepcluster.serviceId" -}}
sweepcluster
{{- end -}}

{{- define "sweepcluster.serviceAccountName" -}}
{{- printf "%s-orleans" (include "sweepcluster.fullname" .) -}}
{{- end -}}

{{- define "sweepcluster.tlsMountPath" -}}
/etc/sweepcluster/orleans-tls
{{- end -}}

{{- /* Pod labels of an Orleans silo (coordinator or trainer): Kubernetes hosting selects the cluster's pods by them. */ -}}
{{- define "sweepcluster.orleansPodLabels" -}}
orleans/serviceId: {{ include "sweepcluster.serviceId" . | quote }}
orleans/clusterId: {{ .Values.orleans.clusterId | quote }}
{{- end -}}

{{- /* Arguments every silo takes after its command: cluster id, address, and the optional Kubernetes hosting and TLS.
       The store comes from SWEEPCLUSTER_STORE (the CLI's default for --store), so its password is on no command line. */ -}}
{{- define "sweepcluster.orleansArgs" -}}
- --silo-port
- {{ .Values.orleans.siloPort | quote }}
- --advertise
- $(POD_IP)
- --cluster-id
- {{ .Values.orleans.clusterId | quote }}
{{- if .Values.orleans.kubernetesHosting }}
- --kubernetes
{{- end }}
{{- if .Values.orleans.tls.enabled }}
- --tls-cert
- {{ include "sweepcluster.tlsMountPath" . }}/tls.crt
- --tls-key
- {{ include "sweepcluster.tlsMountPath" . }}/tls.key
{{- if .Values.orleans.tls.verifyWithCa }}
- --tls-ca
- {{ include "sweepcluster.tlsMountPath" . }}/ca.crt
{{- end }}
{{- end }}
{{- end -}}

{{- /* Environment every silo gets: the store URL, the pod's address and, for Kubernetes hosting, its identity. */ -}}
{{- define "sweepcluster.orleansEnv" -}}
- name: SWEEPCLUSTER_STORE
  valueFrom:
    secretKeyRef:
      name: {{ include "sweepcluster.storeSecret" . }}
      key: url
- name: POD_IP
  valueFrom:
    fieldRef:
      fieldPath: status.podIP
{{- if .Values.orleans.kubernetesHosting }}
- name: POD_NAME
  valueFrom:
    fieldRef:
      fieldPath: metadata.name
- name: POD_NAMESPACE
  valueFrom:
    fieldRef:
      fieldPath: metadata.namespace
- name: ORLEANS_SERVICE_ID
  value: {{ include "sweepcluster.serviceId" . | quote }}
- name: ORLEANS_CLUSTER_ID
  value: {{ .Values.orleans.clusterId | quote }}
{{- end }}
{{- end -}}

{{- /* Container ports of a silo; never listed in a Service. */ -}}
{{- define "sweepcluster.orleansPorts" -}}
- name: orleans-silo
  containerPort: {{ .root.Values.orleans.siloPort }}
{{- if gt (int .gatewayPort) 0 }}
- name: orleans-gateway
  containerPort: {{ .gatewayPort }}
{{- end }}
{{- end -}}

{{- /* Pod-spec fields of a silo: the service account Kubernetes hosting needs, or no API token at all. */ -}}
{{- define "sweepcluster.orleansPodSpec" -}}
{{- if .Values.orleans.kubernetesHosting }}
serviceAccountName: {{ include "sweepcluster.serviceAccountName" . }}
automountServiceAccountToken: true
{{- else }}
automountServiceAccountToken: false
{{- end }}
{{- end -}}

{{- define "sweepcluster.tlsVolumeMount" -}}
{{- if .Values.orleans.tls.enabled }}
- name: orleans-tls
  mountPath: {{ include "sweepcluster.tlsMountPath" . }}
  readOnly: true
{{- end }}
{{- end -}}

{{- define "sweepcluster.tlsVolume" -}}
{{- if .Values.orleans.tls.enabled }}
- name: orleans-tls
  secret:
    secretName: {{ required "orleans.tls.secretName is required when orleans.tls.enabled is true" .Values.orleans.tls.secretName }}
    defaultMode: 0440
{{- end }}
{{- end -}}

{{- /* Fails the render when two ports of one pod collide. */ -}}
{{- define "sweepcluster.checkPorts" -}}
{{- $silo := int .Values.orleans.siloPort -}}
{{- $gateway := int .Values.coordinator.gatewayPort -}}
{{- if or (eq $silo (int .Values.coordinator.port)) (eq $gateway (int .Values.coordinator.port)) (eq $gateway $silo) -}}
{{- fail "coordinator.port, coordinator.gatewayPort and orleans.siloPort must differ" -}}
{{- end -}}
{{- if eq $silo (int .Values.silo.metricsPort) -}}
{{- fail "silo.metricsPort and orleans.siloPort must differ" -}}
{{- end -}}
{{- end -}}
