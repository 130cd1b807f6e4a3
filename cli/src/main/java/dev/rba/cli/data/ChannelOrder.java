package dev.rba.cli.data;

/** Order of colour channels in the model's input tensor. */
public enum ChannelOrder {
    RGB, BGR
}
