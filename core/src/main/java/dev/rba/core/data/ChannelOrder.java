package dev.rba.core.data;

/** Order of colour channels in the model's input tensor. */
public enum ChannelOrder {
    RGB, BGR
}
