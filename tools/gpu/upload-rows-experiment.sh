#!/usr/bin/env bash
# Upload size experiment (see docs/gpu/README.md): bash tools/gpu/upload-rows-experiment.sh, run from the repo root on the GPU host
# after tools/gpu-check.sh pack here.
mkdir -p /tmp/jre && tar -xJf .device-kit/jre.tar.xz -C /tmp/jre && export PATH=/tmp/jre/bin:$PATH LD_LIBRARY_PATH=/usr/local/cuda-13.0/targets/x86_64-linux/lib:${LD_LIBRARY_PATH:-}
cp=$(ls .device-kit/lib/*.jar | grep -v console | tr '\n' :)
J="java --enable-native-access=ALL-UNNAMED --add-modules jdk.incubator.vector -Xmx24g"
for c in dev.rba.core.linalg.CudaBackendTest dev.rba.core.linalg.CudaTf32BackendTest; do
  for u in 8192 32768; do
    timeout 60 $J -Drba.cuda.uploadRows=$u -jar .device-kit/lib/junit-platform-console-standalone-1.14.1.jar execute --disable-banner --details=summary --details-theme=ascii -cp "$cp" --select-class $c 2>&1 | grep -E "tests (successful|failed)|=>" | head -6 | tr '\n' ' '; echo " $c upload $u"
  done
done
for u in 8192 32768 65536; do
  timeout 60 $J -Drba.cuda.uploadRows=$u -cp "$cp" dev.rba.cli.Main bench linalg --backend cuda --rows 1000000 --dim 768 --batch-rows 65536 --repeats 7 --ops gram,gram-pinned 2>/dev/null | grep -E "^cuda|uploads of" | sed 's/.*TF32/TF32/'
done
