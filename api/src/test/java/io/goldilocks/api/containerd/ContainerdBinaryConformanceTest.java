package io.goldilocks.api.containerd;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.EnumDescriptorProto;
import com.google.protobuf.DescriptorProtos.EnumValueDescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.MethodDescriptorProto;
import com.google.protobuf.DescriptorProtos.ServiceDescriptorProto;
import com.google.protobuf.Descriptors.FileDescriptor;
import io.goldilocks.api.containerd.cgroups.v1.CgroupsV1MetricsProto;
import io.goldilocks.api.containerd.cgroups.v2.CgroupsV2MetricsProto;
import io.goldilocks.api.containerd.events.TaskEventsProto;
import io.goldilocks.api.containerd.runc.v1.RuncOptionsProto;
import io.goldilocks.api.containerd.runtimeoptions.v1.RuntimeOptionsProto;
import io.goldilocks.api.containerd.services.events.ttrpc.v1.EventsTtrpcProto;
import io.goldilocks.api.containerd.task.v2.ShimProto;
import io.goldilocks.api.containerd.types.MountProto;
import io.goldilocks.api.containerd.types.task.TaskTypesProto;
import io.goldilocks.testing.HostRequirements;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Our definitions against the ones compiled into the host's containerd (Debian 1.6.20): every message, field (name,
 * number, type, label, type name), enum value and RPC containerd has, we have identically. Fields we have beyond
 * 1.6 (added by later containerd releases, skipped by 1.6 as unknown) must be exactly the documented list below.
 */
class ContainerdBinaryConformanceTest {
  private static final Path CONTAINERD = Path.of("/usr/bin/containerd");
  private static final String CTRD = "github.com/containerd/containerd/";

  /** Fields we define beyond containerd 1.6.20, each added by a later release (see the .proto comments). */
  private static final Set<String> KNOWN_ADDITIONS = Set.of(
      "containerd.task.v2.CreateTaskRequest.oom_path",
      "containerd.v1.types.Process.exit_reason",
      "containerd.v1.types.ExitReason",
      "containerd.events.TaskExit.exit_reason",
      "io.containerd.cgroups.v2.MemoryStat.max_usage",
      "io.containerd.cgroups.v2.MemoryStat.swap_max_usage");

  private static Map<String, FileDescriptorProto> embedded;

  @BeforeAll
  static void readContainerd() throws Exception {
    HostRequirements.requireFile(CONTAINERD, "containerd");
    embedded = EmbeddedDescriptors.read(CONTAINERD);
  }

  @Test
  void everyDefinitionMatchesTheOneCompiledIntoContainerd() {
    Map<String, FileDescriptor> ours = Map.of(
        CTRD + "runtime/v2/task/shim.proto", ShimProto.getDescriptor(),
        CTRD + "api/types/mount.proto", MountProto.getDescriptor(),
        CTRD + "api/types/task/task.proto", TaskTypesProto.getDescriptor(),
        CTRD + "api/events/task.proto", TaskEventsProto.getDescriptor(),
        CTRD + "api/services/ttrpc/events/v1/events.proto", EventsTtrpcProto.getDescriptor(),
        CTRD + "pkg/runtimeoptions/v1/api.proto", RuntimeOptionsProto.getDescriptor(),
        CTRD + "runtime/v2/runc/options/oci.proto", RuncOptionsProto.getDescriptor(),
        "github.com/containerd/cgroups/stats/v1/metrics.proto", CgroupsV1MetricsProto.getDescriptor(),
        "github.com/containerd/cgroups/v2/stats/metrics.proto", CgroupsV2MetricsProto.getDescriptor());

    List<String> mismatches = new ArrayList<>();
    Set<String> additions = new TreeSet<>();
    ours.forEach((theirName, our) -> {
      FileDescriptorProto theirs = embedded.get(theirName);
      if (theirs == null) {
        mismatches.add("containerd has no " + theirName + " (found " + embedded.keySet() + ")");
        return;
      }
      compareFile(theirs, our.toProto(), mismatches, additions);
    });

    assertThat(mismatches).isEmpty();
    assertThat(additions).containsExactlyInAnyOrderElementsOf(KNOWN_ADDITIONS);
  }

  private static void compareFile(FileDescriptorProto theirs, FileDescriptorProto ours, List<String> mismatches,
      Set<String> additions) {
    String pkg = theirs.getPackage();
    if (!pkg.equals(ours.getPackage())) {
      mismatches.add(theirs.getName() + ": package " + ours.getPackage() + " != " + pkg);
    }
    compareMessages(pkg, theirs.getMessageTypeList(), ours.getMessageTypeList(), mismatches, additions);
    compareEnums(pkg, theirs.getEnumTypeList(), ours.getEnumTypeList(), mismatches, additions);
    for (ServiceDescriptorProto service : theirs.getServiceList()) {
      ServiceDescriptorProto mine = ours.getServiceList().stream()
          .filter(s -> s.getName().equals(service.getName())).findFirst().orElse(null);
      if (mine == null) {
        mismatches.add("missing service " + pkg + "." + service.getName());
        continue;
      }
      for (MethodDescriptorProto method : service.getMethodList()) {
        String where = pkg + "." + service.getName() + "/" + method.getName();
        mine.getMethodList().stream().filter(m -> m.getName().equals(method.getName())).findFirst().ifPresentOrElse(
            m -> {
              if (!m.getInputType().equals(method.getInputType())
                  || !m.getOutputType().equals(method.getOutputType())) {
                mismatches.add(where + ": " + m.getInputType() + "->" + m.getOutputType() + " != "
                    + method.getInputType() + "->" + method.getOutputType());
              }
            },
            () -> mismatches.add("missing method " + where));
      }
      if (mine.getMethodCount() != service.getMethodCount()) {
        mismatches.add(pkg + "." + service.getName() + " has " + mine.getMethodCount() + " methods, containerd "
            + service.getMethodCount());
      }
    }
  }

  private static void compareMessages(String scope, List<DescriptorProto> theirs, List<DescriptorProto> ours,
      List<String> mismatches, Set<String> additions) {
    for (DescriptorProto mine : ours) {
      String name = scope + "." + mine.getName();
      DescriptorProto their = theirs.stream().filter(t -> t.getName().equals(mine.getName())).findFirst().orElse(null);
      if (their == null) {
        additions.add(name);
        continue;
      }
      for (FieldDescriptorProto field : mine.getFieldList()) {
        FieldDescriptorProto theirField = their.getFieldList().stream()
            .filter(f -> f.getNumber() == field.getNumber()).findFirst().orElse(null);
        if (theirField == null) {
          additions.add(name + "." + field.getName());
        } else if (!sameField(theirField, field)) {
          mismatches.add(name + ": ours " + brief(field) + " != containerd " + brief(theirField));
        }
      }
      their.getFieldList().stream()
          .filter(f -> mine.getFieldList().stream().noneMatch(m -> m.getNumber() == f.getNumber()))
          .forEach(f -> mismatches.add(name + ": missing " + brief(f)));
      compareMessages(name, their.getNestedTypeList(), mine.getNestedTypeList(), mismatches, additions);
      compareEnums(name, their.getEnumTypeList(), mine.getEnumTypeList(), mismatches, additions);
    }
    theirs.stream().filter(t -> ours.stream().noneMatch(o -> o.getName().equals(t.getName())))
        .forEach(t -> mismatches.add("missing message " + scope + "." + t.getName()));
  }

  private static void compareEnums(String scope, List<EnumDescriptorProto> theirs, List<EnumDescriptorProto> ours,
      List<String> mismatches, Set<String> additions) {
    for (EnumDescriptorProto mine : ours) {
      String name = scope + "." + mine.getName();
      EnumDescriptorProto their = theirs.stream().filter(t -> t.getName().equals(mine.getName())).findFirst()
          .orElse(null);
      if (their == null) {
        additions.add(name);
        continue;
      }
      for (EnumValueDescriptorProto value : their.getValueList()) {
        if (mine.getValueList().stream().noneMatch(v -> v.getName().equals(value.getName())
            && v.getNumber() == value.getNumber())) {
          mismatches.add(name + ": missing " + value.getName() + " = " + value.getNumber());
        }
      }
    }
    theirs.stream().filter(t -> ours.stream().noneMatch(o -> o.getName().equals(t.getName())))
        .forEach(t -> mismatches.add("missing enum " + scope + "." + t.getName()));
  }

  private static boolean sameField(FieldDescriptorProto a, FieldDescriptorProto b) {
    return a.getName().equals(b.getName()) && a.getType() == b.getType() && a.getLabel() == b.getLabel()
        && a.getTypeName().equals(b.getTypeName());
  }

  private static String brief(FieldDescriptorProto f) {
    return f.getLabel() + " " + f.getType() + " " + f.getTypeName() + " " + f.getName() + " = " + f.getNumber();
  }
}
