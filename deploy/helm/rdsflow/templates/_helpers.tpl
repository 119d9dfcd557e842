{{/* Names and labels shared by the templates. */}}

{{- define "rdsflow.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "rdsflow.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "rdsflow.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/name: {{ include "rdsflow.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/* Selector labels of the server pods (component server) */}}
{{- define "rdsflow.selectorLabels" -}}
app.kubernetes.io/name: {{ include "rdsflow.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: server
{{- end }}

{{- define "rdsflow.agentSelectorLabels" -}}
app.kubernetes.io/name: {{ include "rdsflow.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: agent
{{- end }}

{{- define "rdsflow.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "rdsflow.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "rdsflow.image" -}}
{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end }}

{{/* The Secret the containers read: the one named in secrets.existingSecret, else the chart's own. */}}
{{- define "rdsflow.secretName" -}}
{{- .Values.secrets.existingSecret | default (include "rdsflow.fullname" .) }}
{{- end }}

{{- define "rdsflow.secretEnv" -}}
- name: {{ .name }}
  valueFrom:
    secretKeyRef:
      name: {{ include "rdsflow.secretName" .root }}
      key: {{ .key }}
      {{- if .optional }}
      optional: true
      {{- end }}
{{- end }}

{{/*
Environment of both the server and the agent: the external Temporal and metadata database, the
encryption password, shared backups and the plain settings of .Values.env.
*/}}
{{- define "rdsflow.commonEnv" -}}
- name: TEMPORAL_TARGET
  value: {{ required "temporal.target (host:port of the Temporal frontend) is required" .Values.temporal.target | quote }}
- name: TEMPORAL_NAMESPACE
  value: {{ .Values.temporal.namespace | quote }}
- name: DATABASE_URL
  value: {{ required "database.url (JDBC URL of the metadata database) is required" .Values.database.url | quote }}
- name: DATABASE_USER
  value: {{ .Values.database.user | quote }}
{{ include "rdsflow.secretEnv" (dict "root" . "name" "DATABASE_PASSWORD" "key" .Values.secrets.keys.databasePassword) }}
{{ include "rdsflow.secretEnv" (dict "root" . "name" "ENCRYPTION_PASSWORD" "key" .Values.secrets.keys.encryptionPassword) }}
- name: RDSFLOW_DATA_DIR
  value: /var/lib/rdsflow
{{- if .Values.backup.existingClaim }}
- name: BACKUP_DIR
  value: {{ .Values.backup.mountPath | quote }}
{{- end }}
{{- if .Values.javaOpts }}
- name: JAVA_TOOL_OPTIONS
  value: {{ .Values.javaOpts | quote }}
{{- end }}
{{- range $name, $value := .Values.env }}
- name: {{ $name }}
  value: {{ $value | toString | quote }}
{{- end }}
{{- with .Values.extraEnv }}
{{ toYaml . }}
{{- end }}
{{- end }}
