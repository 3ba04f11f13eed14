package io.goldilocks.shim.plugins;

import io.goldilocks.spi.PluginException;
import io.goldilocks.ttrpc.Code;
import io.goldilocks.ttrpc.TtrpcException;

/**
 * The one mapping from a plugin's {@link PluginException.Reason} to the status code containerd sees. The message is
 * kept as it is (it names the plugin or bundle); the plugin exception stays the cause. Stateless.
 */
public final class PluginErrors {
  private PluginErrors() {}

  public static Code codeOf(PluginException.Reason reason) {
    return switch (reason) {
      case INVALID_ARGUMENT -> Code.INVALID_ARGUMENT;
      case FAILED_PRECONDITION -> Code.FAILED_PRECONDITION;
      case UNSUPPORTED -> Code.UNIMPLEMENTED;
      case UNAVAILABLE -> Code.UNAVAILABLE;
      case INTERNAL -> Code.INTERNAL;
    };
  }

  public static TtrpcException toTtrpc(PluginException e) {
    return new TtrpcException(codeOf(e.reason()), e.getMessage(), e);
  }
}
